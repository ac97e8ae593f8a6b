/**
 * The source of a `postgres://...?table=t&changes=true` input: a table's snapshot, then its
 * changes from a replication slot, in one split (see `CdcSourceReader`).
 */
import type { Source, SourceReaderContext } from '../../common/connector/source.ts';
import { CdcSourceReader } from './cdc-source-reader.ts';
import { cdcSplitId, type CdcSplit } from './cdc-split.ts';
import type { ChangeRecord } from './change-stream.ts';
import type { CdcUri } from './cdc-uri.ts';

/** An unbounded change stream of one table; the split goes to subtask 0, the others are idle. */
export class CdcSource implements Source<ChangeRecord> {
  readonly kind = 'postgres-cdc';
  readonly bounded = false;

  constructor(readonly uri: CdcUri) {}

  async enumerateSplits(): Promise<CdcSplit[]> {
    return [{ id: cdcSplitId(this.uri.table), table: this.uri.table }];
  }

  createReader(context: SourceReaderContext): CdcSourceReader {
    return new CdcSourceReader(this.uri, context);
  }
}
