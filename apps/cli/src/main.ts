console.log('loadex CLI: coming in the CLI issue');
