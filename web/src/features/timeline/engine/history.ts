/**
 * Undo/redo with the command pattern: every edit is a named command that turns one
 * document into the next. The history keeps, per command, the document before it, so
 * undo is exact even for edits whose inverse is not simple (a ripple delete, a split).
 */
import type { TimelineDocument } from "../../../types/timeline";

export interface EditCommand {
  /** What the user did, for the undo button's tooltip ("Trim clip c2"). */
  label: string;
  apply(doc: TimelineDocument): TimelineDocument;
  /**
   * Consecutive commands with the same key merge into one undo step (a slider dragged
   * through fifty values is one edit to undo).
   */
  coalesceKey?: string;
}

interface Entry {
  label: string;
  before: TimelineDocument;
  after: TimelineDocument;
  coalesceKey?: string;
}

export class EditHistory {
  private done: Entry[] = [];
  private undone: Entry[] = [];

  constructor(private current: TimelineDocument, private readonly limit = 200) {}

  get document(): TimelineDocument {
    return this.current;
  }

  /** Runs a command; a command that changes nothing is not recorded. Throws what the command throws. */
  execute(command: EditCommand): TimelineDocument {
    const after = command.apply(this.current);
    if (after === this.current) return after;
    const last = this.done[this.done.length - 1];
    if (command.coalesceKey && last && last.coalesceKey === command.coalesceKey && this.undone.length === 0) {
      last.after = after;
      this.current = after;
      return after;
    }
    this.done.push({ label: command.label, before: this.current, after, coalesceKey: command.coalesceKey });
    if (this.done.length > this.limit) this.done.shift();
    this.undone = [];
    this.current = after;
    return after;
  }

  undo(): TimelineDocument | null {
    const entry = this.done.pop();
    if (!entry) return null;
    this.undone.push(entry);
    this.current = entry.before;
    return this.current;
  }

  redo(): TimelineDocument | null {
    const entry = this.undone.pop();
    if (!entry) return null;
    this.done.push(entry);
    this.current = entry.after;
    return this.current;
  }

  get undoLabel(): string | null {
    return this.done[this.done.length - 1]?.label ?? null;
  }

  get redoLabel(): string | null {
    return this.undone[this.undone.length - 1]?.label ?? null;
  }

  /** Starts over from a document loaded from the server (a reload after a conflict). */
  /** Ends coalescing: the next command starts a new undo step even with the same key. */
  seal(): void {
    const last = this.done[this.done.length - 1];
    if (last) delete last.coalesceKey;
  }

  reset(doc: TimelineDocument): void {
    this.current = doc;
    this.done = [];
    this.undone = [];
  }
}
