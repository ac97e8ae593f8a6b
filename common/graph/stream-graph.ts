/**
 * The logical graph a job module builds through the DataStream API: one node per operator, one
 * edge per connection. It is turned into a JobGraph by chaining (see ../graph/job-plan.ts).
 */
import { createHash } from 'node:crypto';
import type { Sink } from '../connector/sink.ts';
import type { Source } from '../connector/source.ts';
import type { KeySelector } from '../key-groups.ts';

/** The operators the runtime knows how to run. */
export type OperatorKind =
  | 'source'
  | 'map'
  | 'filter'
  | 'flatMap'
  | 'process'
  | 'keyedProcess'
  | 'timestamps'
  | 'window'
  | 'localWindowAggregate'
  | 'coProcess'
  | 'keyedCoProcess'
  | 'broadcastProcess'
  | 'keyedBroadcastProcess'
  | 'intervalJoin'
  | 'asyncWait'
  | 'sink';

/** How records of an edge are distributed over the subtasks of its target. */
export type Partitioning = 'forward' | 'rebalance' | 'broadcast' | 'hash';

/** A connection between two operators. */
export interface StreamEdge {
  readonly index: number;
  readonly from: StreamNode;
  readonly to: StreamNode;
  /** Requested distribution; `forward` between different parallelisms becomes `rebalance`. */
  partitioning: Partitioning;
  readonly keySelector?: KeySelector<unknown>;
  /** Side output of `from` this edge carries; undefined for the main output. */
  readonly sideOutput?: string;
  /** Which logical input of `to` this edge feeds (0 unless `to` has two inputs). */
  readonly inputIndex: number;
}

/** One operator of the logical graph, with its user function or connector. */
export class StreamNode {
  name: string;
  uid?: string;
  parallelism?: number;
  maxParallelism?: number;
  readonly inputs: StreamEdge[] = [];
  readonly outputs: StreamEdge[] = [];

  /**
   * The node this one was derived from by the runtime (a local window aggregate's window), which
   * gives it its id; undefined for the nodes a job defines.
   */
  derivedFrom?: { readonly node: StreamNode; readonly ordinal: number };

  constructor(
    /** Position among the nodes the job defined (derived nodes share their origin's). */
    readonly index: number,
    readonly kind: OperatorKind,
    name: string,
    readonly fn?: unknown,
    readonly source?: Source<unknown>,
    readonly sink?: Sink<unknown>,
    /** Kind-specific settings: a watermark strategy, a window definition, async I/O options. */
    readonly spec?: unknown,
  ) {
    this.name = name;
  }

  /**
   * The stable operator id: derived from the uid when set, otherwise from the position in the
   * graph; a derived node's from its origin's, so that adding one changes no other node's id.
   */
  get id(): string {
    const origin = this.derivedFrom;
    const seed =
      origin !== undefined ? `derived:${origin.node.id}:${this.kind}:${origin.ordinal}` : this.uid !== undefined ? `uid:${this.uid}` : `auto:${this.index}:${this.kind}`;
    return createHash('sha256').update(seed).digest('hex').slice(0, 16);
  }
}

/** The nodes and edges of one job, in creation (and therefore topological) order. */
export class StreamGraph {
  readonly nodes: StreamNode[] = [];
  readonly edges: StreamEdge[] = [];
  private defined = 0;

  /** Adds an operator node. */
  addNode(kind: OperatorKind, name: string, parts: { fn?: unknown; source?: Source<unknown>; sink?: Sink<unknown>; spec?: unknown } = {}): StreamNode {
    const node = new StreamNode(this.defined++, kind, name, parts.fn, parts.source, parts.sink, parts.spec);
    this.nodes.push(node);
    return node;
  }

  /**
   * Adds a node the runtime derives from `origin` (the `ordinal`-th of its kind there); its id
   * comes from the origin's, and other nodes' ids do not change.
   */
  addDerivedNode(origin: StreamNode, ordinal: number, kind: OperatorKind, name: string, spec: unknown): StreamNode {
    const node = new StreamNode(origin.index, kind, name, undefined, undefined, undefined, spec);
    node.derivedFrom = { node: origin, ordinal };
    this.nodes.push(node);
    return node;
  }

  /** Connects two nodes. */
  addEdge(from: StreamNode, to: StreamNode, spec: { partitioning: Partitioning; keySelector?: KeySelector<unknown>; sideOutput?: string; inputIndex?: number }): StreamEdge {
    const edge: StreamEdge = {
      index: this.edges.length,
      from,
      to,
      partitioning: spec.partitioning,
      keySelector: spec.keySelector,
      sideOutput: spec.sideOutput,
      inputIndex: spec.inputIndex ?? 0,
    };
    this.edges.push(edge);
    from.outputs.push(edge);
    to.inputs.push(edge);
    return edge;
  }
}
