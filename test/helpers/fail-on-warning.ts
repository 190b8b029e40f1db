// Loaded with --import into every test process: a Node warning (deprecation, experimental feature,
// MaxListeners…) fails the run instead of scrolling past.
process.on('warning', (warning) => {
  process.exitCode = 1;
  console.error(`Node warning in tests (fails the run): ${warning.name}: ${warning.message}`);
});

// `node --test` sets FORCE_COLOR=1 in every test file's environment when its own output is a terminal
// (lib/internal/test_runner/runner.js, shouldColorizeTestFiles). portscope honours FORCE_COLOR
// (force-color.org), so the CLIs the tests spawn would colour output that tests compare as plain text.
// Tests that want colour pass --color always or set FORCE_COLOR themselves.
delete process.env.FORCE_COLOR;
