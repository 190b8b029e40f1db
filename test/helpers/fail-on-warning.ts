// Loaded with --import into every test process: a Node warning (deprecation, experimental feature,
// MaxListeners…) fails the run instead of scrolling past.
process.on('warning', (warning) => {
  process.exitCode = 1;
  console.error(`Node warning in tests (fails the run): ${warning.name}: ${warning.message}`);
});
