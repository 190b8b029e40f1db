/** `portscope explain`: the deciding firewall rule and the predicted state of every port (docs/firewall.md). */
import { explain, PortscopeError, renderExplainJson, renderExplainText } from '../entry/firewall.js';
import { EXPLAIN_COMMAND, finishExplain } from './firewall-options.js';
import type { CliIO } from './io.js';
import { renderHelp } from './options/help.js';
import { parseCommandLine } from './options/parse.js';

/** `portscope explain`: 0 ok; 2 bad options, unreadable ruleset or scan file, or no permission. */
export async function runExplain(argv: string[], io: CliIO): Promise<number> {
  try {
    const cli = parseCommandLine(EXPLAIN_COMMAND, argv);
    if (cli.help) {
      io.stdout.write(renderHelp(EXPLAIN_COMMAND));
      return 0;
    }
    finishExplain(cli);
    const result = await explain(cli.options);
    io.stdout.write(cli.json ? renderExplainJson(result) : renderExplainText(result));
    return 0;
  } catch (err) {
    if (!(err instanceof PortscopeError)) throw err;
    io.stderr.write(`portscope: ${err.message}\n`);
    return 2;
  }
}
