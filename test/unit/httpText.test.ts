import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decoderFor, parseContentType, sniffCharset } from '../../src/servers/http/contentType';
import { HtmlToText, htmlToText } from '../../src/servers/http/htmlToText';
import { JsonIndenter, indentJson } from '../../src/servers/http/jsonIndent';
import { TextWindow } from '../../src/servers/http/textWindow';

const BASE = 'https://example.com/dir/page.html';

describe('HTML to text', () => {
  it('drops scripts, styles, noscript, templates and other non-text elements', () => {
    const html =
      '<html><head><style>p { color: red }</style><script>var s = "<p>not text</p>";</script></head><body>' +
      '<p>kept</p><noscript>enable JavaScript</noscript><template><p>template</p></template>' +
      '<svg><text>vector</text></svg><iframe src="x">frame</iframe><select><option>choice</option></select>' +
      '<script type="module">import "x";</script><p>also kept</p></body></html>';
    assert.equal(htmlToText(html, BASE), 'kept\n\nalso kept');
  });

  it('keeps the title, headings and paragraphs, separated by blank lines', () => {
    const html = '<title>The  Page</title><h1>Main</h1><p>First paragraph.</p><h2>Sub</h2><p>Second.</p><h6>Small</h6>';
    assert.equal(htmlToText(html, BASE), 'The Page\n\n# Main\n\nFirst paragraph.\n\n## Sub\n\nSecond.\n\n###### Small');
  });

  it('collapses whitespace, including non-breaking spaces and line breaks in the source', () => {
    const html = '<p>  Some \n\t  <b>bold</b>&nbsp;&nbsp;and\n<i>italic</i>   text.  </p><div>x</div><div> y </div>';
    assert.equal(htmlToText(html, BASE), 'Some bold and italic text.\n\nx\ny');
  });

  it('writes links as "text (absolute url)", skipping same-page anchors and javascript:', () => {
    const html =
      '<p>See <a href="docs/intro.html?a=1&amp;b=2">the intro</a>, <a href="/top">top</a>, <a href="#section">here</a>, ' +
      '<a href="javascript:void(0)">run</a>, <a href="https://other.example/">https://other.example/</a> and ' +
      '<a href="mailto:me@example.com">mail</a>.</p><a href="/logo"><img src="l.png" alt="Logo"></a><a href="/empty"></a>after';
    assert.equal(
      htmlToText(html, BASE),
      'See the intro (https://example.com/dir/docs/intro.html?a=1&b=2), top (https://example.com/top), here, run, ' +
        'https://other.example/ and mail (mailto:me@example.com).\n\nLogo (https://example.com/logo) after',
    );
  });

  it('resolves links against <base href>', () => {
    assert.equal(htmlToText('<head><base href="https://cdn.example.net/root/"></head><a href="a.html">A</a>', BASE), 'A (https://cdn.example.net/root/a.html)');
  });

  it('writes list items with markers, numbered and nested', () => {
    const html = '<ul><li>one</li><li>two<ul><li>two-a</li><li>two-b</li></ul></li><li><p>three</p></li></ul><ol start="3"><li>c<li>d</ol><p>end</p>';
    assert.equal(htmlToText(html, BASE), '- one\n- two\n  - two-a\n  - two-b\n- three\n\n3. c\n4. d\n\nend');
  });

  it('keeps preformatted text as it is', () => {
    const html = '<p>Code:</p><pre>\n  if (a &lt; b) {\n    go();\n  }\n</pre><p>after</p>';
    assert.equal(htmlToText(html, BASE), 'Code:\n\n  if (a < b) {\n    go();\n  }\n\nafter');
  });

  it('writes table rows as lines of cells', () => {
    const html = '<table><tr><th>Name</th><th>Age</th></tr><tr><td>Ada</td><td>36</td></tr></table>';
    assert.equal(htmlToText(html, BASE), 'Name | Age\nAda | 36');
  });

  it('decodes entities and keeps line breaks from <br>', () => {
    assert.equal(htmlToText('<p>&lt;tag&gt; &amp; &copy; &#x41;&#66; caf&eacute; &notin;<br>next<br><br>after gap</p>', BASE), '<tag> & © AB café ∉\nnext\n\nafter gap');
  });

  it('survives malformed markup', () => {
    assert.equal(htmlToText('<p>open <b>bold <i>both</p><div>next</div', BASE), 'open bold both\n\nnext');
    assert.equal(htmlToText('', BASE), '');
    assert.equal(htmlToText('plain words', BASE), 'plain words');
    assert.equal(htmlToText('<h1></h1><p>no marker left behind</p>', BASE), 'no marker left behind');
  });

  it('gives the same text when the HTML arrives one character at a time', () => {
    const html = '<title>T</title><h1>Head &amp; more</h1><p>Para <a href="/x">link</a></p><script>x = "</p>"</script><ul><li>a<li>b</ul><pre>\n a\n</pre>';
    const converter = new HtmlToText(BASE);
    let streamed = '';
    for (const c of html) streamed += converter.write(c);
    streamed += converter.end();
    assert.equal(streamed, htmlToText(html, BASE));
    assert.equal(streamed, 'T\n\n# Head & more\n\nPara link (https://example.com/x)\n\n- a\n- b\n\n a');
  });
});

describe('JSON re-indenting', () => {
  const corpus = [
    '{"a":[1,2,{"b":null}],"c":{"d":"x, y: {z}","e":[]},"f":{},"g":true,"h":-1.5}',
    '[]',
    '{}',
    '"just a string"',
    '42',
    '[[[]],[{}],{"k":[{"k":[1]}]}]',
    '  {\n  "spaced" :  [ 1 , 2 ] ,\r\n "tab":\t"\\t" }  ',
  ];

  it('prints valid JSON exactly as JSON.stringify(value, null, 2) would', () => {
    for (const json of corpus) assert.equal(indentJson(json), JSON.stringify(JSON.parse(json), null, 2), json);
  });

  it('keeps strings and numbers exactly as the server wrote them', () => {
    assert.equal(
      indentJson('{"big":12345678901234567890,"exp":-1.5e3,"esc":"\\u00e9\\"}{"}'),
      '{\n  "big": 12345678901234567890,\n  "exp": -1.5e3,\n  "esc": "\\u00e9\\"}{"\n}',
    );
  });

  it('gives the same result when the JSON arrives one character at a time', () => {
    for (const json of corpus) {
      const indenter = new JsonIndenter();
      let streamed = '';
      for (const c of json) streamed += indenter.write(c);
      streamed += indenter.end();
      assert.equal(streamed, indentJson(json), json);
    }
  });

  it('passes through a body that is not JSON', () => {
    assert.equal(indentJson('<html>Not JSON, really</html>'), '<html>Not JSON, really</html>');
    assert.equal(indentJson('{"a":1}} trailing words'), '{\n  "a": 1\n}} trailing words');
  });
});

describe('text window', () => {
  function run(chunks: string[], offset: number, maxBytes: number): ReturnType<TextWindow['result']> & { stopped: boolean } {
    const window = new TextWindow(offset, maxBytes);
    let stopped = false;
    for (const chunk of chunks) {
      if (window.push(chunk)) {
        stopped = true;
        break;
      }
    }
    return { ...window.result(), stopped };
  }

  it('returns everything when it fits', () => {
    assert.deepEqual(run(['hello ', 'world'], 0, 100), { text: 'hello world', start: 0, bytes: 11, truncated: false, seenBytes: 11, stopped: false });
    assert.deepEqual(run(['exactly10!'], 0, 10), { text: 'exactly10!', start: 0, bytes: 10, truncated: false, seenBytes: 10, stopped: false });
  });

  it('cuts at the cap and stops as soon as more text is seen', () => {
    assert.deepEqual(run(['exactly10!', 'more'], 0, 10), { text: 'exactly10!', start: 0, bytes: 10, truncated: true, seenBytes: 14, stopped: true });
    assert.deepEqual(run(['abcdefghij'], 0, 4), { text: 'abcd', start: 0, bytes: 4, truncated: true, seenBytes: 10, stopped: true });
  });

  it('skips offset bytes across chunks', () => {
    assert.deepEqual(run(['abc', 'def', 'ghij'], 4, 3), { text: 'efg', start: 4, bytes: 3, truncated: true, seenBytes: 10, stopped: true });
    assert.deepEqual(run(['abc', 'def'], 6, 3), { text: '', start: 6, bytes: 0, truncated: false, seenBytes: 6, stopped: false });
  });

  it('never splits a character', () => {
    // "é" is 2 bytes: a cap of 4 after "a" keeps "aé" (3 bytes), not half of the next one.
    assert.deepEqual(run(['aéé'], 0, 4), { text: 'aé', start: 0, bytes: 3, truncated: true, seenBytes: 5, stopped: true });
    // An offset inside "é" starts at the next character.
    assert.deepEqual(run(['aéb'], 2, 10), { text: 'b', start: 3, bytes: 1, truncated: false, seenBytes: 4, stopped: false });
    assert.deepEqual(run(['😀x'], 1, 10), { text: 'x', start: 4, bytes: 1, truncated: false, seenBytes: 5, stopped: false });
    assert.deepEqual(run(['😀'], 0, 3), { text: '', start: 0, bytes: 0, truncated: true, seenBytes: 4, stopped: true });
  });

  it('pages through a text without losing or repeating a byte', () => {
    const text = 'ab€cdé😀fghijklmnopé'.repeat(5);
    const chunks = text.match(/.{1,7}/gu) ?? [];
    let offset = 0;
    let rebuilt = '';
    for (let calls = 0; calls < 100; calls += 1) {
      const page = run(chunks, offset, 9);
      rebuilt += page.text;
      if (!page.truncated) break;
      offset = page.start + page.bytes;
    }
    assert.equal(rebuilt, text);
  });
});

describe('content types and charsets', () => {
  it('classifies media types', () => {
    const cases: Array<[string | undefined, string, string | undefined]> = [
      ['text/html; charset=UTF-8', 'html', 'utf-8'],
      ['application/xhtml+xml', 'html', undefined],
      ['application/json', 'json', undefined],
      ['application/problem+json; charset="utf-8"', 'json', 'utf-8'],
      ['text/plain; format=flowed; charset=ISO-8859-1', 'text', 'iso-8859-1'],
      ['text/csv', 'text', undefined],
      ['application/xml', 'text', undefined],
      ['application/rss+xml', 'text', undefined],
      ['application/javascript', 'text', undefined],
      ['image/png', 'binary', undefined],
      ['application/octet-stream', 'binary', undefined],
      ['application/pdf', 'binary', undefined],
      ['application/zip', 'binary', undefined],
      ['video/mp4', 'binary', undefined],
      ['IMAGE/SVG+XML', 'text', undefined],
      [undefined, 'unknown', undefined],
      ['', 'unknown', undefined],
      ['nonsense', 'unknown', undefined],
    ];
    for (const [header, format, charset] of cases) {
      const parsed = parseContentType(header);
      assert.equal(parsed.format, format, String(header));
      assert.equal(parsed.charset, charset, String(header));
    }
    assert.equal(parseContentType('Text/HTML ; charset=utf-8').mediaType, 'text/html');
  });

  it('finds a charset in a byte order mark or an HTML meta tag', () => {
    assert.equal(sniffCharset(Buffer.from([0xef, 0xbb, 0xbf, 0x41]), 'text'), 'utf-8');
    assert.equal(sniffCharset(Buffer.from([0xff, 0xfe, 0x41, 0]), 'text'), 'utf-16le');
    assert.equal(sniffCharset(Buffer.from('<html><head><meta charset="ISO-8859-1">'), 'html'), 'iso-8859-1');
    assert.equal(sniffCharset(Buffer.from('<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'), 'html'), 'windows-1251');
    assert.equal(sniffCharset(Buffer.from('<meta charset="ISO-8859-1">'), 'text'), undefined, 'only HTML declares its charset inside');
    assert.equal(sniffCharset(Buffer.from('<p>no declaration</p>'), 'html'), undefined);
  });

  it('decodes by charset, falling back to UTF-8 for unknown labels', () => {
    const latin1 = decoderFor('iso-8859-1');
    assert.equal(latin1.decoder.decode(Buffer.from([0x63, 0x61, 0x66, 0xe9])), 'café');
    assert.equal(latin1.unknownLabel, undefined);
    assert.equal(decoderFor('latin1').decoder.encoding, 'windows-1252');
    assert.equal(decoderFor(undefined).decoder.encoding, 'utf-8');
    const unknown = decoderFor('klingon-8');
    assert.equal(unknown.decoder.encoding, 'utf-8');
    assert.equal(unknown.unknownLabel, 'klingon-8');
  });
});
