// Fails when SQL text could carry request data: every prepare()/exec()/pragma() on a
// better-sqlite3 connection must get a string literal, or text whose type is SqlText
// (electron/core/store/sql-text.ts), or a template/concatenation of those and of constants.
// Casting to SqlText is only allowed inside sql-text.ts. Values go in as bound parameters.
import ts from 'typescript';
import path from 'node:path';

// The projects to check (default: the core and the CLI, the code that talks to SQLite).
const roots = process.argv.length > 2 ? process.argv.slice(2) : ['electron/core/tsconfig.json', 'electron/cli/tsconfig.json'];
const problems = [];
const seen = new Set();

for (const cfgPath of roots) {
  const cfg = ts.getParsedCommandLineOfConfigFile(cfgPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => console.error(d.messageText) });
  const program = ts.createProgram({ rootNames: cfg.fileNames, options: cfg.options });
  const checker = program.getTypeChecker();

  const isSqlTextType = (t) => {
    if (t.isUnion()) return t.types.every(isSqlTextType);
    if (t.isStringLiteral() || t.isNumberLiteral()) return true;
    const text = checker.typeToString(t);
    return text === 'SqlText' || text.includes('[sqlTextBrand]');
  };

  const constantText = (node, depth = 0) => {
    if (depth > 20) return false;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isNumericLiteral(node)) return true;
    if (ts.isParenthesizedExpression(node)) return constantText(node.expression, depth + 1);
    if (ts.isTemplateExpression(node)) return node.templateSpans.every((s) => constantText(s.expression, depth + 1));
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken)
      return constantText(node.left, depth + 1) && constantText(node.right, depth + 1);
    if (ts.isConditionalExpression(node)) return constantText(node.whenTrue, depth + 1) && constantText(node.whenFalse, depth + 1);
    if (isSqlTextType(checker.getTypeAtLocation(node))) return true;
    // A const whose initializer is itself constant text.
    if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) {
      const sym = checker.getSymbolAtLocation(node);
      const decl = sym?.valueDeclaration ?? sym?.declarations?.[0];
      if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const)
        return constantText(decl.initializer, depth + 1);
      // Members of an object literal (e.g. SQL_OP.eq): their initializer must be constant text.
      if (decl && ts.isPropertyAssignment(decl)) return constantText(decl.initializer, depth + 1);
    }
    return false;
  };

  for (const sf of program.getSourceFiles()) {
    if (sf.isDeclarationFile || sf.fileName.includes('node_modules') || seen.has(sf.fileName)) continue;
    seen.add(sf.fileName);
    const rel = path.relative(process.cwd(), sf.fileName);
    const visit = (node) => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ['prepare', 'exec', 'pragma'].includes(node.expression.name.text)) {
        const receiver = checker.getTypeAtLocation(node.expression.expression);
        const name = receiver.getSymbol()?.getName() ?? checker.typeToString(receiver);
        if (/Database/.test(name) && node.arguments.length > 0 && !constantText(node.arguments[0])) {
          const { line } = sf.getLineAndCharacterOfPosition(node.getStart());
          problems.push(`${rel}:${line + 1}: ${node.expression.name.text}() gets SQL that is not constant text: ${node.arguments[0].getText().slice(0, 100)}`);
        }
      }
      if ((ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) && /\bSqlText\b/.test(node.type.getText()) && path.basename(rel) !== 'sql-text.ts') {
        const { line } = sf.getLineAndCharacterOfPosition(node.getStart());
        problems.push(`${rel}:${line + 1}: cast to SqlText outside sql-text.ts`);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
}

if (problems.length) {
  console.error(
    `check-sql: ${problems.length} statement(s) built from text that is not constant (use bound parameters and the sql tag of electron/core/store/sql-text.ts):`,
  );
  for (const p of problems) console.error('  ' + p);
  process.exit(1);
}
console.log('check-sql: every SQL statement is constant text with bound parameters');
