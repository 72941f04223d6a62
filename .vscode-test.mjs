// For desktops where @vscode/test-cli can download VS Code: `npm run test:electron` runs the same integration
// suite that scripts/run-vscode-tests.mjs runs here through code-server.
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  files: 'out/test/integration/suite/**/*.test.js',
  workspaceFolder: './test/fixtures/workspace',
  version: '1.100.3',
  mocha: { ui: 'bdd', timeout: 60000 },
});
