// The floor: writes back every byte it reads, so each newline-delimited JSON line returns as sent.
process.stdin.pipe(process.stdout);
