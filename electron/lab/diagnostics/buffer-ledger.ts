/** A run of transitions that entered a FIFO buffer together. */
interface Segment {
  source: string;
  problem: string;
  episode: number;
  count: number;
}

/**
 * The make-up of a ring buffer, kept beside it from what was added: the replay buffer overwrites
 * its oldest transition when full, so a FIFO of segments (source, problem, episode, count) trimmed
 * to the capacity says exactly what it holds without reading the agent's arrays.
 */
export class BufferLedger {
  private readonly segments: Segment[] = [];
  private head = 0;
  size = 0;

  constructor(readonly capacity: number) {}

  add(source: string, problem: string, episode: number, count: number): void {
    if (count <= 0 || this.capacity <= 0) return;
    this.segments.push({ source, problem, episode, count });
    this.size += count;
    while (this.size > this.capacity) {
      const oldest = this.segments[this.head]!;
      const drop = Math.min(oldest.count, this.size - this.capacity);
      oldest.count -= drop;
      this.size -= drop;
      if (oldest.count === 0) this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.segments.length) {
      this.segments.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Transitions by source and by problem, and the median and 90th percentile age in episodes. */
  makeUp(now: number): { bySource: Record<string, number>; byProblem: Record<string, number>; ageMedian: number; ageP90: number } {
    const bySource: Record<string, number> = {};
    const byProblem: Record<string, number> = {};
    const live = this.segments.slice(this.head);
    for (const s of live) {
      bySource[s.source] = (bySource[s.source] ?? 0) + s.count;
      byProblem[s.problem] = (byProblem[s.problem] ?? 0) + s.count;
    }
    // Oldest first: the transition at rank r (of size) has the age of its segment.
    const ageAt = (fraction: number) => {
      let left = Math.floor((1 - fraction) * this.size);
      for (const s of live) {
        if (left < s.count) return now - s.episode;
        left -= s.count;
      }
      return 0;
    };
    return { bySource, byProblem, ageMedian: this.size ? ageAt(0.5) : 0, ageP90: this.size ? ageAt(0.9) : 0 };
  }
}
