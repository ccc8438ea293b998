// node:sqlite prints an ExperimentalWarning on first use; it says nothing actionable to a pack user, so it is
// filtered. Every other warning still prints. Import this before anything that loads node:sqlite.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name === 'ExperimentalWarning' && /SQLite/i.test(warning.message)) return;
  console.error(`${warning.name}: ${warning.message}`);
});
