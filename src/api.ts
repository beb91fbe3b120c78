/** The public API for rule authors: `import { Rule, HeartBeat } from 'rule-things'`. */
export * from './clock';
