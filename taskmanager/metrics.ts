/** The Prometheus metrics of a TaskManager, in Flink's names, snake-cased under `sluice_`. */
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { TaskExecutor } from './task-executor.ts';

/** Creates the registry; values are read from the tasks at scrape time, so the record path pays nothing. */
export function createTaskManagerMetrics(executor: TaskExecutor, taskmanagerId: string, slots: number): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ tm_id: taskmanagerId });
  collectDefaultMetrics({ register: registry, prefix: 'sluice_taskmanager_' });
  const labels = ['job_id', 'task_name', 'subtask_index', 'attempt'] as const;
  const perTask = (name: string, help: string, read: (t: TaskExecutor['allTasks'][number]) => number): void => {
    new Gauge({
      name,
      help,
      labelNames: labels,
      registers: [registry],
      collect() {
        this.reset();
        for (const t of executor.allTasks) {
          const d = t.deployment;
          this.set({ job_id: d.jobId, task_name: t.name, subtask_index: String(d.subtask), attempt: String(d.attempt) }, read(t));
        }
      },
    });
  };
  perTask('sluice_taskmanager_job_task_num_records_in', 'Records this task received.', (t) => t.metrics.recordsIn);
  perTask('sluice_taskmanager_job_task_num_records_out', 'Records this task emitted.', (t) => t.metrics.totalRecordsOut);
  perTask('sluice_taskmanager_job_task_num_bytes_in', 'Bytes this task received from remote channels.', (t) => t.metrics.bytesIn);
  perTask('sluice_taskmanager_job_task_num_bytes_out', 'Bytes this task sent to remote channels.', (t) => t.bytesOut);
  perTask('sluice_taskmanager_job_task_back_pressured_time_ms_total', 'Milliseconds this task waited for output capacity.', (t) => Math.round(t.metrics.backPressuredMs));
  perTask('sluice_taskmanager_job_task_num_records_malformed', 'Malformed input lines this source task reported.', (t) => t.metrics.malformed);
  perTask('sluice_taskmanager_job_task_current_input_watermark', 'Event time this task has reached: the minimum watermark over its inputs (a source: its own), in epoch ms.', (t) => t.metrics.inputWatermark);
  perTask('sluice_taskmanager_job_task_state_stored_entries', 'Keyed state entries this task holds in LevelDB.', (t) => t.stateSize().storedEntries);
  perTask('sluice_taskmanager_job_task_state_cached_entries', 'Keyed state entries in this task\'s write-back caches.', (t) => t.stateSize().cachedEntries);
  perTask('sluice_taskmanager_job_task_state_cached_bytes', 'Approximate bytes of keyed state in this task\'s write-back caches.', (t) => t.stateSize().cachedBytes);
  new Gauge({
    name: 'sluice_taskmanager_task_slots_total',
    help: 'Slots this TaskManager offers.',
    registers: [registry],
    collect() {
      this.set(slots);
    },
  });
  new Gauge({
    name: 'sluice_taskmanager_num_running_tasks',
    help: 'Tasks currently deployed on this TaskManager.',
    registers: [registry],
    collect() {
      this.set(executor.allTasks.length);
    },
  });
  return registry;
}
