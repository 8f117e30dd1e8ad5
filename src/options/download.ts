/** Offers a file to save, built in the page: nothing leaves the browser. */
export function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const fileStamp = () => new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
