import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import type { StatsHistoryPoint } from '@loadex/api';
import { StatsCollector } from './stats-collector';

/** Five minutes of one-second points: what the dashboard's charts show. */
export const HISTORY_POINTS = 300;

/**
 * The recent past of the live stats, so a dashboard opened now starts with the last five minutes
 * on its charts instead of an empty one. One point a second whether anyone watches or not; the
 * oldest point goes when a new one comes.
 */
@Injectable()
export class StatsHistory {
  private readonly recent: StatsHistoryPoint[] = [];

  constructor(private readonly stats: StatsCollector) {}

  @Interval('stats-history', 1000)
  record(): void {
    this.recent.push(this.stats.historyPoint());
    if (this.recent.length > HISTORY_POINTS) this.recent.shift();
  }

  /** Oldest first. */
  points(): StatsHistoryPoint[] {
    return this.recent.slice();
  }
}
