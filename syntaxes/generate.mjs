// Generates http.tmLanguage.json and http.markdown.tmLanguage.json (regexes are easier to read as String.raw).
// Run: node syntaxes/generate.mjs
import { writeFileSync } from 'node:fs';
const methods = 'GET|HEAD|POST|PUT|DELETE|CONNECT|OPTIONS|TRACE|PATCH|QUERY|PROPFIND|PROPPATCH|MKCOL|COPY|MOVE|LOCK|UNLOCK|SEARCH|CHECKOUT|CHECKIN|UNCHECKOUT|REPORT|MERGE|MKACTIVITY|MKWORKSPACE|VERSION-CONTROL|BASELINE-CONTROL|LABEL|UPDATE|ACL|BIND|UNBIND|REBIND|MKCALENDAR|ORDERPATCH|MKREDIRECTREF|UPDATEREDIRECTREF|LINK|UNLINK|PURGE';
const url = { patterns: [{ include: '#variable' }, { include: '#query' }] };
const bodyEnd = String.raw`(?=^###)`;
const g = {
  $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
  name: 'HTTP',
  scopeName: 'source.http',
  fileTypes: ['http', 'rest'],
  patterns: [
    { include: '#separator' },
    { include: '#metadata' },
    { include: '#comment' },
    { include: '#file-variable' },
    { include: '#pre-script' },
    { include: '#request' },
  ],
  repository: {
    separator: {
      match: String.raw`^(###+)\s*(.*)$`,
      captures: { 1: { name: 'punctuation.separator.request.http' }, 2: { name: 'entity.name.section.request-title.http' } },
      name: 'meta.separator.http',
    },
    metadata: {
      match: String.raw`^\s*(#|//)\s*(@)([\w-]+)(?:\s*=?\s*(.*))?$`,
      name: 'comment.line.metadata.http',
      captures: {
        1: { name: 'punctuation.definition.comment.http' },
        2: { name: 'punctuation.definition.metadata.http' },
        3: { name: 'keyword.other.metadata.http' },
        4: { name: 'string.unquoted.metadata-value.http', patterns: [{ include: '#variable' }] },
      },
    },
    comment: {
      match: String.raw`^\s*(#|//).*$`,
      name: 'comment.line.http',
      captures: { 1: { name: 'punctuation.definition.comment.http' } },
    },
    'file-variable': {
      match: String.raw`^\s*(@)([\w.$-]+)\s*(=)\s*(.*)$`,
      name: 'meta.variable.declaration.http',
      captures: {
        1: { name: 'punctuation.definition.variable.http' },
        2: { name: 'variable.other.declaration.http' },
        3: { name: 'keyword.operator.assignment.http' },
        4: { name: 'string.unquoted.variable-value.http', patterns: [{ include: '#variable' }] },
      },
    },
    variable: {
      match: String.raw`(\{\{)\s*((\$[\w.]+)(.*?)|([%]?[^{}\s]+(?:\s+[^{}]*)?)?)\s*(\}\})`,
      name: 'meta.template.expression.http',
      captures: {
        1: { name: 'punctuation.definition.variable.begin.http' },
        3: { name: 'support.function.system-variable.http' },
        4: { name: 'variable.parameter.system-variable.http' },
        5: { name: 'variable.other.http' },
        6: { name: 'punctuation.definition.variable.end.http' },
      },
    },
    query: {
      patterns: [
        { match: String.raw`[?&]`, name: 'punctuation.separator.query.http' },
        { match: String.raw`=`, name: 'punctuation.separator.key-value.http' },
      ],
    },
    'pre-script': {
      begin: String.raw`^\s*(<)\s*(\{%)`,
      end: String.raw`(%\})`,
      beginCaptures: { 1: { name: 'keyword.operator.script.http' }, 2: { name: 'punctuation.definition.script.begin.http' } },
      endCaptures: { 1: { name: 'punctuation.definition.script.end.http' } },
      contentName: 'meta.embedded.block.javascript',
      patterns: [{ include: '#variable' }, { include: 'source.js' }],
    },
    'post-script': {
      begin: String.raw`^\s*(>)\s*(\{%)`,
      end: String.raw`(%\})`,
      beginCaptures: { 1: { name: 'keyword.operator.script.http' }, 2: { name: 'punctuation.definition.script.begin.http' } },
      endCaptures: { 1: { name: 'punctuation.definition.script.end.http' } },
      contentName: 'meta.embedded.block.javascript',
      patterns: [{ include: '#variable' }, { include: 'source.js' }],
    },
    'handler-lines': {
      patterns: [
        { include: '#post-script' },
        { match: String.raw`^\s*(>>!?)\s*(.*)$`, captures: { 1: { name: 'keyword.operator.redirect.http' }, 2: { name: 'string.unquoted.path.http', patterns: [{ include: '#variable' }] } } },
        { match: String.raw`^\s*(>)\s+(\S+\.(?:m?js|cjs|ts))\s*$`, captures: { 1: { name: 'keyword.operator.script.http' }, 2: { name: 'string.unquoted.path.http' } } },
        { match: String.raw`^(\?\?)\s.*$`, name: 'meta.assert.http', captures: { 1: { name: 'keyword.operator.assert.http' } } },
        // JetBrains: a saved response of this request (`<> 2024-01-31T101010.200.json`).
        { match: String.raw`^\s*(<>)\s+(.*)$`, captures: { 1: { name: 'keyword.operator.response-reference.http' }, 2: { name: 'string.unquoted.path.http' } } },
      ],
    },
    include: {
      match: String.raw`^(<@?\w*)\s+(.+)$`,
      captures: { 1: { name: 'keyword.operator.file-include.http' }, 2: { name: 'string.unquoted.path.http', patterns: [{ include: '#variable' }] } },
    },
    request: {
      // From a request line to the next separator: headers, then (after a blank line) the body.
      patterns: [
        {
          begin: String.raw`^\s*((?i:${methods})|[A-Z][A-Z0-9-]*)\s+(.+?)(?:\s+(HTTP/\d+(?:\.\d+)?))?\s*$`,
          beginCaptures: {
            1: { name: 'keyword.control.http' },
            2: { name: 'markup.underline.link.url.http', ...url },
            3: { name: 'constant.language.http-version.http' },
          },
          end: bodyEnd,
          name: 'meta.request.http',
          patterns: [{ include: '#request-rest' }],
        },
        {
          begin: String.raw`^\s*((?:[a-zA-Z][a-zA-Z0-9+.-]*://|/|\{\{|localhost\b|[\w-]+(?:\.[\w-]+)+(?=[:/?#]|\s|$))\S*?)(?:\s+(HTTP/\d+(?:\.\d+)?))?\s*$`,
          beginCaptures: {
            1: { name: 'markup.underline.link.url.http', ...url },
            2: { name: 'constant.language.http-version.http' },
          },
          end: bodyEnd,
          name: 'meta.request.http',
          patterns: [{ include: '#request-rest' }],
        },
      ],
    },
    'request-rest': {
      patterns: [
        { match: String.raw`^\s+([?&/]\S*)\s*$`, captures: { 1: { name: 'markup.underline.link.url.http', ...url } } },
        { match: String.raw`^([?&]\S*)\s*$`, captures: { 1: { name: 'markup.underline.link.url.http', ...url } } },
        {
          // GraphQL: from the X-Request-Type header to the end of the request.
          begin: String.raw`^(?i)(X-Request-Type)\s*(:)\s*(GraphQL)\s*$`,
          end: bodyEnd,
          beginCaptures: { 1: { name: 'entity.other.attribute-name.header.http' }, 2: { name: 'punctuation.separator.key-value.http' }, 3: { name: 'string.unquoted.header-value.http' } },
          patterns: [
            { include: '#comment' },
            { include: '#handler-lines' },
            { include: '#header' },
            { begin: String.raw`^\s*$`, end: bodyEnd, name: 'meta.body.http', patterns: [{ include: '#handler-lines' }, { include: '#graphql-body' }] },
          ],
        },
        { include: '#comment' },
        { include: '#handler-lines' },
        { include: '#header' },
        { include: '#include' },
        { begin: String.raw`^\s*$`, end: bodyEnd, name: 'meta.body.http', patterns: [{ include: '#body' }] },
      ],
    },
    header: {
      match: String.raw`^([!#$%&'*+.^_\x60|~0-9A-Za-z-]+|\{\{[^}]*\}\})\s*(:)\s*(.*)$`,
      name: 'meta.header.http',
      captures: {
        1: { name: 'entity.other.attribute-name.header.http', patterns: [{ include: '#variable' }] },
        2: { name: 'punctuation.separator.key-value.http' },
        3: { name: 'string.unquoted.header-value.http', patterns: [{ include: '#variable' }] },
      },
    },
    body: {
      patterns: [
        { include: '#handler-lines' },
        { include: '#include' },
        // REST Client files define variables after a request (the parser takes a trailing paragraph of them).
        { include: '#file-variable' },
        {
          begin: String.raw`^\s*(?=[\[{])`,
          end: String.raw`(?=^###)|(?=^\s*>\s*\{%)|(?=^>>)|(?=^<>\s)|(?=^\?\?\s)|(?=^\s*@[\w.$-]+\s*=)`,
          contentName: 'meta.embedded.block.json',
          patterns: [{ include: '#variable' }, { include: 'source.json' }],
        },
        {
          begin: String.raw`^\s*(?=<[?!a-zA-Z])`,
          end: String.raw`(?=^###)|(?=^\s*>\s*\{%)|(?=^>>)|(?=^<>\s)|(?=^\?\?\s)|(?=^\s*@[\w.$-]+\s*=)`,
          contentName: 'meta.embedded.block.xml',
          patterns: [{ include: '#variable' }, { include: 'text.xml' }],
        },
        {
          begin: String.raw`^\s*(?=(?:query|mutation|subscription|fragment)\b)`,
          end: String.raw`(?=^###)|(?=^\s*>\s*\{%)|(?=^>>)|(?=^<>\s)|(?=^\?\?\s)|(?=^\s*@[\w.$-]+\s*=)`,
          contentName: 'meta.embedded.block.graphql',
          patterns: [{ include: '#variable' }, { include: 'source.graphql' }],
        },
        { include: '#variable' },
      ],
    },
    'graphql-body': {
      patterns: [
        {
          begin: String.raw`^\s*(?=\S)`,
          end: String.raw`(?=^\s*$)|(?=^###)|(?=^\s*>\s*\{%)`,
          contentName: 'meta.embedded.block.graphql',
          patterns: [{ include: '#variable' }, { include: 'source.graphql' }],
        },
        {
          // After the query, a blank line and the variables JSON.
          begin: String.raw`^\s*$`,
          end: String.raw`(?=^###)|(?=^\s*>\s*\{%)`,
          patterns: [
            { begin: String.raw`^\s*(?=[\[{])`, end: String.raw`(?=^###)|(?=^\s*>\s*\{%)`, contentName: 'meta.embedded.block.json', patterns: [{ include: '#variable' }, { include: 'source.json' }] },
          ],
        },
      ],
    },
  },
};
writeFileSync(new URL('./http.tmLanguage.json', import.meta.url), `${JSON.stringify(g, null, 2)}\n`);

const md = {
  $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
  scopeName: 'markdown.http.codeblock',
  injectionSelector: 'L:text.html.markdown',
  patterns: [{ include: '#http-code-block' }],
  repository: {
    'http-code-block': {
      begin: String.raw`(^|\G)(\s*)(\x60{3,}|~{3,})\s*(?i:(http|rest)(\s+[^\x60~]*)?$)`,
      beginCaptures: { 3: { name: 'punctuation.definition.markdown' }, 4: { name: 'fenced_code.block.language.markdown' }, 5: { name: 'fenced_code.block.language.attributes.markdown' } },
      end: String.raw`(^|\G)(\2|\s{0,3})(\3)\s*$`,
      endCaptures: { 3: { name: 'punctuation.definition.markdown' } },
      name: 'markup.fenced_code.block.markdown',
      patterns: [{ begin: String.raw`(^|\G)(\s*)(.*)`, while: String.raw`(^|\G)(?!\s*([\x60~]{3,})\s*$)`, contentName: 'meta.embedded.block.http', patterns: [{ include: 'source.http' }] }],
    },
  },
};
writeFileSync(new URL('./http.markdown.tmLanguage.json', import.meta.url), `${JSON.stringify(md, null, 2)}\n`);
