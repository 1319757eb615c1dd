package org.quintet.relay.storage.embedded;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The jobs waiting for one kind of database thread (the writer, or the readers). Closing it queues
 * {@link Job#END} behind everything already accepted and refuses anything later, so every accepted
 * job runs before the threads stop. END stays in the queue once reached, so every consumer sees it.
 */
final class JobQueue {
  private final BlockingQueue<Job<?>> jobs = new LinkedBlockingQueue<>();
  private boolean closed;

  /** Accepts a job; false once the queue is closed. */
  synchronized boolean offer(Job<?> job) {
    if (closed) {
      return false;
    }
    jobs.add(job);
    return true;
  }

  synchronized void close() {
    if (!closed) {
      closed = true;
      jobs.add(Job.END);
    }
  }

  /** Waits for the next job; {@link Job#END} once the queue is closed and empty. */
  Job<?> take() throws InterruptedException {
    Job<?> job = jobs.take();
    if (job == Job.END) {
      jobs.add(Job.END);
    }
    return job;
  }

  /**
   * Waits for one job, then takes whatever else is already waiting, at most {@code max} in all;
   * an empty list once the queue is closed and empty.
   */
  List<Job<?>> takeBatch(int max) throws InterruptedException {
    return batchFrom(jobs.take(), max);
  }

  /** {@link #takeBatch(int)}, waiting {@code waitNanos} at most for the first job: null when none came. */
  List<Job<?>> takeBatch(int max, long waitNanos) throws InterruptedException {
    Job<?> first = jobs.poll(waitNanos, TimeUnit.NANOSECONDS);
    return first == null ? null : batchFrom(first, max);
  }

  private List<Job<?>> batchFrom(Job<?> first, int max) {
    List<Job<?>> batch = new ArrayList<>();
    batch.add(first);
    jobs.drainTo(batch, max - 1);
    int end = batch.indexOf(Job.END);
    if (end < 0) {
      return batch;
    }
    jobs.add(Job.END);
    return batch.subList(0, end);
  }

  /** Closes the queue and returns what was still waiting, for a thread that has to stop early. */
  List<Job<?>> closeAndDrain() {
    close();
    List<Job<?>> rest = new ArrayList<>();
    jobs.drainTo(rest);
    rest.removeIf(job -> job == Job.END);
    jobs.add(Job.END);
    return rest;
  }
}
