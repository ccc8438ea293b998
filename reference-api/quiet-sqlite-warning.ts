// node:sqlite prints an ExperimentalWarning on first use; it says nothing actionable to a pack user, so it is
// filtered. Every other warning still prints. Import this before anything that loads node:sqlite.
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (w.name === 'ExperimentalWarning' && /SQLite/i.test(w.message)) return;
  console.error(`${w.name}: ${w.message}`);
});
