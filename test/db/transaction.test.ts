import { describeEachBackend } from '../support/backends.js';
import { transactionTests } from './transaction.case.js';

describeEachBackend('transactions', transactionTests);
