/** The Prometheus metrics of the JobManager, in Flink's names, snake-cased under `sluice_`. */
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Dispatcher } from './dispatcher.ts';
import type { SlotPool } from './jobmaster/slot-pool.ts';
import type { TaskManagerRegistry } from './resourcemanager/taskmanager-registry.ts';

/** Creates the registry; every value is read at scrape time. */
export function createJobManagerMetrics(registry: TaskManagerRegistry, slots: SlotPool, dispatcher: Dispatcher): Registry {
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics, prefix: 'sluice_jobmanager_' });
  const gauge = (name: string, help: string, read: () => number): void => {
    new Gauge({
      name,
      help,
      registers: [metrics],
      collect() {
        this.set(read());
      },
    });
  };
  gauge('sluice_jobmanager_num_registered_task_managers', 'Registered TaskManagers.', () => registry.all.length);
  gauge('sluice_jobmanager_task_slots_total', 'Slots offered by all TaskManagers.', () => slots.total);
  gauge('sluice_jobmanager_task_slots_available', 'Slots no job holds.', () => slots.available);
  gauge('sluice_jobmanager_num_running_jobs', 'Jobs that are running.', () => dispatcher.allJobs.filter((j) => j.state === 'RUNNING').length);
  return metrics;
}
