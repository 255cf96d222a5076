/** A line of starter code outside the function: what the lab never runs. */
export interface ModuleStatement {
  /** 1-based line within starter_code. */
  line: number;
  text: string;
}

/**
 * The module-level statements of starter code besides the function's own header (imports, calls,
 * assignments, other definitions, decorators): the agent writes the function's body from the
 * grammar and the lab reads only the def line (for the parameter names), so none of them is ever
 * executed. Comments, blank lines and the lines of the function itself are not listed.
 */
export function moduleLevelStatements(starterCode: string, functionName: string): ModuleStatement[] {
  const header = new RegExp(`^(async\\s+)?def\\s+${functionName.replace(/[$]/g, '\\$')}\\s*\\(`);
  const out: ModuleStatement[] = [];
  let open = 0; // brackets still open from earlier lines: their continuation lines are not statements
  starterCode.split(/\r?\n/).forEach((text, i) => {
    const startsStatement = open === 0 && /^\S/.test(text) && !text.startsWith('#') && !/^[)\]}]/.test(text);
    if (startsStatement && !header.test(text)) out.push({ line: i + 1, text: text.trimEnd() });
    const code = text.replace(/#.*$/, '').replace(/(["'])(?:\\.|(?!\1).)*\1/g, '');
    for (const ch of code) {
      if ('([{'.includes(ch)) open++;
      else if (')]}'.includes(ch)) open = Math.max(0, open - 1);
    }
  });
  return out;
}
