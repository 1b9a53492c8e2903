/** A CSV file read for the preview: the header row and the data rows (cells as written). */
export interface CsvTable {
  header: string[];
  rows: string[][];
}

/**
 * Reads RFC 4180 CSV (quoted fields with "" and line breaks, CRLF or LF, a UTF-8 BOM) the way
 * the server does, so the preview's row numbers match its `/rows/N` pointers. Blank lines at
 * the end are dropped.
 */
export function parseCsv(text: string): CsvTable {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: string[][] = [];
  let record: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (quoted) {
      if (c === '"' && source[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === "") quoted = true;
    else if (c === ",") {
      record.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && source[i + 1] === "\n") i++;
      record.push(cell);
      records.push(record);
      record = [];
      cell = "";
    } else cell += c;
  }
  if (cell !== "" || record.length > 0) {
    record.push(cell);
    records.push(record);
  }
  while (records.length > 0 && records[records.length - 1].every((v) => v === "")) records.pop();
  const [header = [], ...rows] = records;
  return { header: header.map((h) => h.trim()), rows };
}
