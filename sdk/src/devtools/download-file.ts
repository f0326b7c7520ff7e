/**
 * Saves `text` as a file through the browser's download prompt (Blob + object URL + a
 * temporary link). Browser globals are looked up here, at call time, so importing the module
 * is safe during server-side rendering.
 */
export function downloadTextFile(filename: string, text: string, type = "application/json"): void {
  const scope = globalThis as { document?: Document; URL?: typeof URL; Blob?: typeof Blob };
  if (!scope.document || !scope.Blob || typeof scope.URL?.createObjectURL !== "function") {
    throw new Error(
      "Wireline: download() needs a browser page (document, Blob, URL.createObjectURL); in Node, write JSON.stringify(log) to a file instead.",
    );
  }
  const url = scope.URL.createObjectURL(new scope.Blob([text], { type }));
  const link = scope.document.createElement("a");
  link.href = url;
  link.download = filename;
  link.rel = "noopener";
  link.style.display = "none";
  scope.document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    // Revoked after the click has been handled, so the download has started reading it.
    setTimeout(() => scope.URL?.revokeObjectURL(url), 0);
  }
}
