/** Every model, registered by importing it. */
import './memae/index.js';
import './memae/video-detector.js';

export { registerModel, getModel, modelNames, createDetector, loadDetector, type ModelEntry } from './registry.js';
