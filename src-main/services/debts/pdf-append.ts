// Appends whole PDFs (jsPDF's: a classic xref table, a catalog, one page tree) into one PDF as they
// come, writing each one's objects out at once: every object but the catalog, the page tree and the
// info dictionary is copied with its numbers moved past those written before (stream data verbatim),
// each page's /Parent pointed at the one page tree, which is written at the end with the catalog, the
// xref and the trailer. Memory holds one part at a time and the list of object offsets, whatever the
// length of the whole.
const HEADER = Buffer.from('%PDF-1.3\n%\xba\xdf\xac\xe0\n', 'latin1');
const PAGES = 1;
const CATALOG = 2;
const INFO = 3;

interface Parsed {
  /** object number → byte offset, for the objects in use */
  offsets: Map<number, number>;
  xrefAt: number;
  root: number;
  info: number | null;
}

function parseXref(pdf: Buffer): Parsed {
  const tail = pdf.subarray(Math.max(0, pdf.length - 2048)).toString('latin1');
  const start = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!start) throw new Error('not a PDF with a classic xref table');
  const xrefAt = Number(start[1]);
  const text = pdf.subarray(xrefAt).toString('latin1');
  const head = /^xref\s+0\s+(\d+)\s+/.exec(text);
  if (!head) throw new Error('no xref table where startxref points');
  const count = Number(head[1]);
  const offsets = new Map<number, number>();
  const entries = text.slice(head[0].length);
  for (let n = 1; n < count; n++) {
    const entry = /^(\d{10}) (\d{5}) ([nf])/.exec(entries.slice(n * 20, n * 20 + 18));
    if (!entry) throw new Error(`xref entry ${n} unreadable`);
    if (entry[3] === 'n') offsets.set(n, Number(entry[1]));
  }
  const trailer = text.slice(text.indexOf('trailer'));
  const root = /\/Root (\d+) 0 R/.exec(trailer);
  if (!root) throw new Error('no /Root in the trailer');
  const info = /\/Info (\d+) 0 R/.exec(trailer);
  return { offsets, xrefAt, root: Number(root[1]), info: info ? Number(info[1]) : null };
}

/** The object's bytes, from `N 0 obj` to the next object (or the xref). */
function objectsOf(pdf: Buffer, parsed: Parsed): Map<number, Buffer> {
  const sorted = [...parsed.offsets.entries()].sort((a, b) => a[1] - b[1]);
  const out = new Map<number, Buffer>();
  sorted.forEach(([n, at], i) => out.set(n, pdf.subarray(at, sorted[i + 1]?.[1] ?? parsed.xrefAt)));
  return out;
}

const dictOf = (object: Buffer): string => {
  const text = object.subarray(0, Math.min(object.length, 4096)).toString('latin1');
  const stream = /\bstream\r?\n/.exec(text);
  return stream ? text.slice(0, stream.index) : object.toString('latin1');
};

export interface PdfAppender {
  /** Appends every page of `pdf`; returns how many it had. */
  append(pdf: Uint8Array): number;
  /** Writes the page tree, the catalog, the xref and the trailer; returns the file's size. */
  finish(info: { title: string; creationDate: string }): number;
  pages(): number;
}

export function createPdfAppender(write: (bytes: Uint8Array) => void): PdfAppender {
  let position = 0;
  const offsets: number[] = []; // index = object number
  const kids: number[] = [];
  let next = INFO + 1;
  const put = (bytes: Uint8Array) => {
    write(bytes);
    position += bytes.length;
  };
  put(HEADER);

  function putObject(n: number, body: Buffer) {
    offsets[n] = position;
    put(body);
  }

  return {
    append(bytes) {
      const pdf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const parsed = parseXref(pdf);
      const objects = objectsOf(pdf, parsed);
      const catalog = dictOf(objects.get(parsed.root)!);
      const pagesRef = /\/Pages (\d+) 0 R/.exec(catalog);
      if (!pagesRef) throw new Error('the catalog has no /Pages');
      const pagesOld = Number(pagesRef[1]);
      const tree = dictOf(objects.get(pagesOld)!);
      if (/\/Type\s*\/Pages[\s\S]*\/Kids[\s\S]*\/Type\s*\/Pages/.test(tree)) throw new Error('a nested page tree');
      const oldKids = [.../\/Kids\s*\[([^\]]*)\]/.exec(tree)![1]!.matchAll(/(\d+) 0 R/g)].map((m) => Number(m[1]));
      const renumber = new Map<number, number>([[pagesOld, PAGES]]);
      const skip = new Set([parsed.root, pagesOld, ...(parsed.info ? [parsed.info] : [])]);
      for (const n of objects.keys()) if (!skip.has(n)) renumber.set(n, next++);
      const moved = (ref: string, n: string) => {
        const to = renumber.get(Number(n));
        if (to === undefined) throw new Error(`a reference to object ${n} that is not copied`);
        return `${to} 0 R`;
      };
      for (const [n, object] of objects) {
        if (skip.has(n)) continue;
        const dict = dictOf(object);
        const head = dict
          .replace(/^(\d+) 0 obj/, () => `${renumber.get(n)} 0 obj`)
          .replace(/(\d+) 0 R/g, (ref, m: string) => moved(ref, m));
        putObject(renumber.get(n)!, Buffer.concat([Buffer.from(head, 'latin1'), object.subarray(dict.length)]));
      }
      for (const kid of oldKids) kids.push(renumber.get(kid)!);
      return oldKids.length;
    },
    finish(info) {
      const latin = (text: string) => Buffer.from(text, 'latin1');
      const kidsText = kids.map((k) => `${k} 0 R`).join(' ');
      putObject(
        PAGES,
        latin(`${PAGES} 0 obj\n<</Type /Pages\n/Kids [${kidsText}]\n/Count ${kids.length}\n>>\nendobj\n`),
      );
      putObject(CATALOG, latin(`${CATALOG} 0 obj\n<<\n/Type /Catalog\n/Pages ${PAGES} 0 R\n>>\nendobj\n`));
      // The title as UTF-16BE with a BOM, in hex: any language, nothing to escape.
      const title = Buffer.from(`\ufeff${info.title}`, 'utf16le').swap16().toString('hex').toUpperCase();
      putObject(
        INFO,
        latin(
          `${INFO} 0 obj\n<<\n/Title <${title}>\n/Creator (AquaDesk)\n/CreationDate (D:${info.creationDate})\n>>\nendobj\n`,
        ),
      );
      const xrefAt = position;
      const lines = [`xref\n0 ${next}\n`, '0000000000 65535 f \n'];
      for (let n = 1; n < next; n++) {
        if (offsets[n] === undefined) throw new Error(`object ${n} was never written`);
        lines.push(`${String(offsets[n]).padStart(10, '0')} 00000 n \n`);
      }
      put(latin(lines.join('')));
      put(
        latin(`trailer\n<<\n/Size ${next}\n/Root ${CATALOG} 0 R\n/Info ${INFO} 0 R\n>>\nstartxref\n${xrefAt}\n%%EOF\n`),
      );
      return position;
    },
    pages: () => kids.length,
  };
}
