/**
 * The client's one source of violation counts. Pure: no VS Code import.
 *
 * The status bar, the tree (and its badge) all read the last *applied* answer of
 * `ssot.listViolations`, the same list `ssot-lsp check` prints. An answer is applied only if it
 * belongs to the current server (a restart invalidates everything asked before it) and is newer
 * than the applied one (answers can arrive out of order when a refresh overtakes another). Until
 * the first answer of the current server, the count is unknown — never zero.
 */
import { buildTree, TreeModel } from './tree';

export interface ListTicket {
  readonly epoch: number;
  readonly seq: number;
}

export class ViolationStore {
  private epoch = 0;
  private seq = 0;
  private appliedSeq = -1;
  private current: TreeModel | undefined;

  /** The model of the last applied answer; undefined while unknown. */
  get model(): TreeModel | undefined {
    return this.current;
  }

  /** Total violations, or undefined while unknown. */
  get count(): number | undefined {
    return this.current?.total;
  }

  /** Call before sending a list request; pass the ticket to `accept` with its answer. */
  ticket(): ListTicket {
    return { epoch: this.epoch, seq: ++this.seq };
  }

  /** False once a restart happened since the ticket was issued. */
  isCurrent(ticket: ListTicket): boolean {
    return ticket.epoch === this.epoch;
  }

  /**
   * Applies an answer if it is still the newest of the current server. Returns the new model, or
   * undefined when the answer was stale and dropped.
   */
  accept(ticket: ListTicket, answer: unknown, roots: readonly string[]): TreeModel | undefined {
    if (ticket.epoch !== this.epoch || ticket.seq <= this.appliedSeq) return undefined;
    this.appliedSeq = ticket.seq;
    this.current = buildTree(answer, roots);
    return this.current;
  }

  /** The server stopped or restarts: forget the count; answers asked before now are dropped. */
  invalidate(): void {
    this.epoch++;
    this.appliedSeq = this.seq;
    this.current = undefined;
  }
}
