/**
 * Issue 11, documents: the text of a PDF as a reader would copy it, per page, through pdfjs-dist (the
 * engine of Firefox's viewer; its legacy build runs in Node). A PDF whose font lacked a glyph or
 * whose text was drawn as shapes would not give the text back.
 */
export async function pdfText(pdf: Buffer): Promise<string[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, disableFontFace: true });
  const doc = await task.promise;
  try {
    const pages: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const content = await (await doc.getPage(n)).getTextContent();
      pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
    }
    return pages;
  } finally {
    await task.destroy();
  }
}

/** Whitespace-insensitive containment: pdfjs splits and joins text runs its own way. */
export const compact = (text: string) => text.replace(/\s+/g, '');
