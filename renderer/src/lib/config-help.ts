/**
 * Help shown beside each hyperparameter: what it does and the seed's tuning range (from the seed's
 * tuning table, as documented in shared/config/training-config.ts).
 */
export const CONFIG_HELP: Record<string, string> = {
  'environment.max_steps': 'Maximum actions (tokens) per episode.',
  'environment.vocab_size': "The seed's token vocabulary size; the grammar has its own action count.",
  'agent.type': 'DQN; pqt (priority-queue training) or rspg (risk-seeking policy gradient), which sample from a policy network; or a baseline that shares the environment and budget.',
  'agent.learning_rate': "Step size for gradient descent. Seed's range: 1e-5 to 1e-3.",
  'agent.gamma': "Discount factor for future rewards. Seed's range: 0.95 to 0.99.",
  'agent.epsilon_start': 'Exploration rate at the first episode.',
  'agent.epsilon_end': 'Lowest exploration rate.',
  'agent.epsilon_decay': "Multiplicative decay per episode. Seed's range: 0.99 to 0.999.",
  'agent.buffer_capacity': "Replay buffer size. Seed's range: 10k to 100k.",
  'agent.batch_size': "Mini-batch size. Seed's range: 32 to 128.",
  'agent.hidden_dim': "Width of the hidden layers. Seed's range: 256 to 1024.",
  'agent.device': "'auto' picks the best tfjs backend that loads; 'cuda' is the seed's GPU.",
  'agent.double_dqn': 'Double DQN target: the policy picks the action, the target net values it.',
  'agent.dueling': 'Dueling value/advantage heads.',
  'agent.prioritized_replay': 'Proportional prioritized replay.',
  'agent.n_step': 'n-step returns.',
  'agent.target_update': 'Episodes between target network syncs.',
  'reward.type': 'code_quality (weighted parts), sparse (solved or not), curriculum.',
  'reward.correctness_weight': 'Weight of the fraction of tests passed.',
  'reward.quality_weight': 'Weight of code quality.',
  'reward.efficiency_weight': 'Weight of short, efficient programs.',
  'reward.progress_weight': 'Weight of progress towards passing more tests.',
  'training.num_episodes': 'Episodes to train (the budget).',
  'training.save_frequency': 'Episodes between checkpoints.',
  'training.eval_frequency': 'Episodes between greedy evaluations.',
  'training.log_frequency': 'Episodes between log lines.',
  'training.seed': 'Random seed: the same seed repeats a run on the same backend.',
};
