import { captureThisProcess } from './log-capture';

captureThisProcess();
