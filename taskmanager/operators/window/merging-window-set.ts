/**
 * The in-flight windows of one key for a merging assigner (sessions), like Flink's
 * MergingWindowSet: each window maps to the namespace its contents are stored under (its "state
 * window"). When windows merge, the result keeps the state window of one of them, so only the
 * others' contents move. The set is a value state of the key (void namespace) holding flat
 * [window, namespace, stateNamespace, ...] triples; the operator loads it per element or timer
 * (into reused arrays: a key rarely has more than a few sessions) and persists it when it changed.
 */
import { type MergingWindowAssigner, ValueStateDescriptor, type Window } from '../../../client/runtime.ts';
import { windowNamespace } from './window-namespace.ts';
import { VOID_NAMESPACE, type InternalValueState, type KeyedStateBackend } from '../../state/keyed-state-backend.ts';

/** The name of the state holding the merging window sets. */
export const MERGING_WINDOWS_STATE = 'sluice.window.merging-windows';

/**
 * Called when windows merge into `mergeResult`: the operator merges trigger state and contents
 * (from `mergedStateNamespaces` into `stateNamespace`) and drops the merged windows' timers.
 */
export type MergeFunction = (
  mergeResult: Window,
  mergeResultNamespace: string,
  mergedWindows: readonly Window[],
  mergedNamespaces: readonly string[],
  stateNamespace: string,
  mergedStateNamespaces: readonly string[],
) => void;

/** See the module comment. One instance per operator, loaded for the current key. */
export class MergingWindowSet {
  /** The namespace of the window the last `addWindow` returned. */
  resultNamespace = '';
  private readonly state: InternalValueState<unknown[]>;
  private readonly windows: Window[] = [];
  private readonly namespaces: string[] = [];
  private readonly stateNamespaces: string[] = [];
  private changed = false;
  private readonly candidates: Window[] = [];
  /** Merge groups reported by the assigner, flat: [toBeMerged, mergeResult, ...]. */
  private readonly groups: (Window[] | Window)[] = [];
  private readonly collectGroup = (toBeMerged: Window[], mergeResult: Window): void => {
    this.groups.push(toBeMerged, mergeResult);
  };

  constructor(
    private readonly assigner: MergingWindowAssigner<unknown, Window>,
    backend: KeyedStateBackend,
  ) {
    this.state = backend.getInternalValueState(new ValueStateDescriptor<unknown[]>(MERGING_WINDOWS_STATE));
  }

  /** Reads the set of the backend's current key. */
  load(): this {
    this.windows.length = 0;
    this.namespaces.length = 0;
    this.stateNamespaces.length = 0;
    this.changed = false;
    this.state.setCurrentNamespace(VOID_NAMESPACE);
    const stored = this.state.value();
    if (stored !== undefined) {
      for (let i = 0; i + 2 < stored.length; i += 3) this.add(stored[i] as Window, stored[i + 1] as string, stored[i + 2] as string);
    }
    return this;
  }

  /** Number of in-flight windows of the loaded key. */
  get size(): number {
    return this.windows.length;
  }

  /** The namespace holding the contents of an in-flight window; undefined when it is not in flight. */
  stateNamespaceOf(namespace: string): string | undefined {
    const i = this.namespaces.indexOf(namespace);
    return i < 0 ? undefined : this.stateNamespaces[i];
  }

  /** Removes a window that is done (cleaned up, or late on arrival). */
  retireWindow(namespace: string): void {
    const i = this.namespaces.indexOf(namespace);
    if (i < 0) throw new Error(`window ${namespace} is not in the in-flight window set`);
    this.remove(i);
  }

  /** Writes the set back if it changed. */
  persist(): void {
    if (!this.changed) return;
    this.changed = false;
    this.state.setCurrentNamespace(VOID_NAMESPACE);
    const n = this.windows.length;
    if (n === 0) {
      this.state.clear();
      return;
    }
    const flat: unknown[] = new Array(n * 3);
    for (let i = 0; i < n; i++) {
      flat[i * 3] = this.windows[i];
      flat[i * 3 + 1] = this.namespaces[i];
      flat[i * 3 + 2] = this.stateNamespaces[i];
    }
    this.state.update(flat);
  }

  /**
   * Adds a new window, merging it (and any windows it bridges) with the in-flight ones; calls
   * `merge` for every merge that moves contents or trigger state. Returns the window the new
   * element belongs to (the new window, or the merge result that swallowed it) and sets
   * `resultNamespace` to its namespace.
   */
  addWindow(newWindow: Window, merge: MergeFunction): Window {
    const newNamespace = windowNamespace(newWindow);
    const alreadyInFlight = this.namespaces.indexOf(newNamespace) >= 0;
    const candidates = this.candidates;
    candidates.length = 0;
    for (const window of this.windows) candidates.push(window);
    if (!alreadyInFlight) candidates.push(newWindow);
    const groups = this.groups;
    groups.length = 0;
    if (candidates.length > 1) this.assigner.mergeWindows(candidates, this.collectGroup);

    let result = newWindow;
    let resultNamespace = newNamespace;
    let mergedNewWindow = false;
    for (let g = 0; g < groups.length; g += 2) {
      const toBeMerged = groups[g] as Window[];
      const mergeResult = groups[g + 1] as Window;
      const mergeResultNamespace = windowNamespace(mergeResult);
      const mergedWindows: Window[] = [];
      const mergedNamespaces: string[] = [];
      let containsNew = false;
      for (const window of toBeMerged) {
        const namespace = window === newWindow ? newNamespace : this.namespaceOf(window);
        if (namespace === newNamespace) {
          containsNew = true;
          if (!alreadyInFlight) continue;
        }
        mergedWindows.push(window);
        mergedNamespaces.push(namespace);
      }
      if (containsNew) {
        mergedNewWindow = true;
        result = mergeResult;
        resultNamespace = mergeResultNamespace;
      }
      // The new window fell inside one in-flight window: nothing moves.
      if (mergedNamespaces.length === 1 && mergedNamespaces[0] === mergeResultNamespace) continue;
      const first = this.namespaces.indexOf(mergedNamespaces[0]!);
      const stateNamespace = this.stateNamespaces[first]!;
      const mergedStateNamespaces: string[] = [];
      for (const namespace of mergedNamespaces) {
        const i = this.namespaces.indexOf(namespace);
        if (i < 0) continue;
        const inFlightState = this.stateNamespaces[i]!;
        if (inFlightState !== stateNamespace) mergedStateNamespaces.push(inFlightState);
        this.remove(i);
      }
      this.add(mergeResult, mergeResultNamespace, stateNamespace);
      merge(mergeResult, mergeResultNamespace, mergedWindows, mergedNamespaces, stateNamespace, mergedStateNamespaces);
    }
    groups.length = 0;
    if (!mergedNewWindow && !alreadyInFlight) this.add(newWindow, newNamespace, newNamespace);
    this.resultNamespace = resultNamespace;
    return result;
  }

  /** The namespace of a window the assigner handed back (one of ours, or an equal copy). */
  private namespaceOf(window: Window): string {
    const i = this.windows.indexOf(window);
    return i < 0 ? windowNamespace(window) : this.namespaces[i]!;
  }

  private add(window: Window, namespace: string, stateNamespace: string): void {
    this.windows.push(window);
    this.namespaces.push(namespace);
    this.stateNamespaces.push(stateNamespace);
    this.changed = true;
  }

  private remove(i: number): void {
    this.windows.splice(i, 1);
    this.namespaces.splice(i, 1);
    this.stateNamespaces.splice(i, 1);
    this.changed = true;
  }
}
