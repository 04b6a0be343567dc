/** Strings numbered in order of first appearance (a categorical column's dictionary): `of` gives a string's number, -1 for null. */
export class Dictionary {
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();

  of(name: string | null): number {
    if (name === null) return -1;
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.index.set(name, i);
    }
    return i;
  }
}
