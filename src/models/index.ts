/** Every model, registered by importing it. */
import './memae/index.js';
import './memae/video-detector.js';
import './mnad/index.js';

export { registerModel, getModel, modelNames, createDetector, loadDetector, type ModelEntry } from './registry.js';
