import { Injectable } from '@nestjs/common';

const ESC = '\u001b[';
const ENTER_ALTERNATE_SCREEN = `${ESC}?1049h`;
const LEAVE_ALTERNATE_SCREEN = `${ESC}?1049l`;
const HIDE_CURSOR = `${ESC}?25l`;
const SHOW_CURSOR = `${ESC}?25h`;
const CURSOR_HOME = `${ESC}H`;
const CLEAR_TO_END_OF_LINE = `${ESC}K`;
const CLEAR_TO_END_OF_SCREEN = `${ESC}J`;
const CTRL_C = '\u0003';

/**
 * A full-screen, in-place refreshing view on the terminal (like `top`): the alternate screen, the
 * cursor hidden, keys read in raw mode (`q` or Ctrl-C quits). `close()` puts everything back —
 * normal screen, cursor shown, raw mode off — and leaves the last frame on the normal screen. A
 * process `exit` hook restores the terminal even if something goes wrong in between.
 */
@Injectable()
export class LiveScreen {
  private open = false;
  private lastFrame = '';
  private onKey?: (data: Buffer | string) => void;
  private onResize?: () => void;
  private readonly restoreOnExit = () => this.restoreTerminal();

  /** Takes over the terminal; `onQuit` runs when the user presses q or Ctrl-C. */
  start(onQuit: () => void): void {
    if (this.open) return;
    this.open = true;
    process.once('exit', this.restoreOnExit);
    process.stdout.write(ENTER_ALTERNATE_SCREEN + HIDE_CURSOR);
    const stdin = process.stdin;
    if (stdin.isTTY) {
      stdin.setRawMode(true);
      this.onKey = (data) => {
        const key = data.toString();
        if (key === 'q' || key === 'Q' || key === CTRL_C) onQuit();
      };
      stdin.on('data', this.onKey);
      stdin.resume();
    }
    this.onResize = () => this.draw(this.lastFrame);
    process.stdout.on('resize', this.onResize);
  }

  /** Replaces the screen's content with `frame`, line by line, without scrolling or flicker. */
  draw(frame: string): void {
    this.lastFrame = frame;
    if (!this.open) return;
    const rows = process.stdout.rows ?? 40;
    const lines = frame.split('\n').slice(0, Math.max(1, rows - 1));
    process.stdout.write(CURSOR_HOME + lines.map((l) => l + CLEAR_TO_END_OF_LINE).join('\n') + CLEAR_TO_END_OF_SCREEN);
  }

  /** Gives the terminal back and prints the last frame on the normal screen. */
  close(): void {
    if (!this.open) return;
    this.restoreTerminal();
    process.off('exit', this.restoreOnExit);
    if (this.lastFrame) process.stdout.write(`${this.lastFrame}\n`);
  }

  private restoreTerminal(): void {
    if (!this.open) return;
    this.open = false;
    const stdin = process.stdin;
    if (this.onKey) stdin.off('data', this.onKey);
    if (stdin.isTTY) stdin.setRawMode(false);
    stdin.pause();
    if (this.onResize) process.stdout.off('resize', this.onResize);
    process.stdout.write(SHOW_CURSOR + LEAVE_ALTERNATE_SCREEN);
  }
}
