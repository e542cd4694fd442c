export * from './hashers/index.js';
