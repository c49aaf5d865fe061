#!/usr/bin/python3
"""Reference values for src/metrics from scikit-learn, numpy and scipy.

Run with Debian's Python (it has sklearn):  /usr/bin/python3 scripts/metrics-reference.py
Writes src/metrics/fixtures/reference.json. Inputs are fixed (hand-written or
drawn from seeded generators) and rounded so that ties occur and the file stays small.
"""
import json
import os
import sys
import warnings

import numpy as np
import scipy
import scipy.ndimage
import sklearn
from sklearn.metrics import (auc, average_precision_score, f1_score, precision_recall_curve,
                             precision_score, recall_score, roc_auc_score, roc_curve)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'metrics', 'fixtures', 'reference.json')
PERCENTILES = [0, 12.5, 25, 50, 80, 95, 99.9, 100]
CONTAMINATIONS = [0.01, 0.05, 0.1, 0.2, 0.5]


def floats(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64)]


def best_f1(labels, scores):
    """F1-max over all distinct thresholds; on a tie, the highest threshold."""
    precision, recall, thresholds = precision_recall_curve(labels, scores)
    precision, recall = precision[:-1], recall[:-1]  # drop sklearn's appended (recall 0, precision 1)
    with np.errstate(invalid='ignore', divide='ignore'):
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
    best = f1.max()
    # thresholds ascend; take the last (highest) index within rounding of the max
    i = int(np.nonzero(f1 >= best - 1e-15)[0][-1])
    return {'f1': float(f1[i]), 'threshold': float(thresholds[i]), 'precision': float(precision[i]), 'recall': float(recall[i])}


def at_threshold(labels, scores, threshold):
    predictions = (scores >= threshold).astype(int)
    return {
        'threshold': float(threshold),
        'precision': float(precision_score(labels, predictions, zero_division=0)),
        'recall': float(recall_score(labels, predictions, zero_division=0)),
        'f1': float(f1_score(labels, predictions, zero_division=0)),
    }


def binary_case(name, labels, scores, curves):
    labels = np.asarray(labels, dtype=int)
    scores = np.asarray(scores, dtype=np.float64)
    precision, recall, pr_thresholds = precision_recall_curve(labels, scores)
    case = {
        'name': name,
        'labels': labels.tolist(),
        'scores': floats(scores),
        'rocAuc': float(roc_auc_score(labels, scores)),
        'averagePrecision': float(average_precision_score(labels, scores)),
        'prAuc': float(auc(recall, precision)),
        'bestF1': best_f1(labels, scores),
        'atThreshold': [at_threshold(labels, scores, t) for t in (np.median(scores), scores.max() + 1, scores.min())],
        'percentiles': [{'q': q, 'value': float(np.percentile(scores, q))} for q in PERCENTILES],
        'contamination': [{'contamination': c, 'threshold': float(np.percentile(scores, 100 * (1 - c)))} for c in CONTAMINATIONS],
    }
    if curves:
        fpr, tpr, roc_thresholds = roc_curve(labels, scores, drop_intermediate=False)
        # sklearn < 1.3 puts max(score) + 1 first, >= 1.3 puts inf; the TypeScript follows the latter.
        case['rocCurve'] = {'fpr': floats(fpr), 'tpr': floats(tpr), 'thresholdsAfterFirst': floats(roc_thresholds[1:])}
        case['precisionRecallCurve'] = {'precision': floats(precision), 'recall': floats(recall), 'thresholds': floats(pr_thresholds)}
    return case


def binary_cases():
    cases = []
    cases.append(binary_case('hand-written with ties, -0 and negatives',
                             [0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0],
                             [0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.2, 0.9, 0.1, 0.55, -0.0, 0.0], True))
    cases.append(binary_case('all scores equal', [1, 0, 0, 1, 0, 0, 0, 1, 0, 0] * 2, [0.5] * 20, True))
    cases.append(binary_case('perfect separation', [0] * 20 + [1] * 10, list(np.linspace(0, 1, 30)), True))
    cases.append(binary_case('inverted ranking', [1] * 10 + [0] * 20, list(np.linspace(0, 1, 30)), True))

    rng = np.random.default_rng(2)
    labels = (rng.random(200) < 0.3).astype(int)
    scores = np.round(rng.normal(size=200) + 0.8 * labels, 1)  # rounded to one decimal: many ties
    cases.append(binary_case('random 200, heavy ties (seed 2)', labels, scores, True))

    rng = np.random.default_rng(1)
    labels = (rng.random(500) < 0.2).astype(int)
    scores = np.clip(rng.integers(0, 8, size=500) + 2 * labels, 0, 9)
    cases.append(binary_case('integer scores 0..9, 500 samples (seed 1)', labels, scores, True))

    rng = np.random.default_rng(0)
    labels = (rng.random(1000) < 0.1).astype(int)
    scores = np.round(rng.normal(size=1000) + 1.0 * labels, 4)
    cases.append(binary_case('random 1000, 10% anomalies (seed 0)', labels, scores, False))

    rng = np.random.default_rng(3)
    labels = np.zeros(1000, dtype=int)
    labels[rng.choice(1000, 10, replace=False)] = 1
    scores = np.round(rng.exponential(size=1000) + 1.5 * labels, 3)
    cases.append(binary_case('random 1000, 1% anomalies (seed 3)', labels, scores, False))
    return cases


def video_case():
    rng = np.random.default_rng(4)
    lengths = [60, 90, 40, 70]
    labels, scores = [], []
    for v, n in enumerate(lengths):
        y = np.zeros(n, dtype=int)
        if v != 2:  # video 2 is all normal: skipped by the per-video mean
            start = int(rng.integers(5, n // 2))
            y[start:start + n // 3] = 1
        # each video has its own offset and scale, so per-video normalisation matters
        s = np.round((rng.normal(size=n) + 1.2 * y) * (v + 1) + 10 * v, 4)
        labels.append(y)
        scores.append(s)
    normalized = [(s - s.min()) / (s.max() - s.min()) for s in scores]
    per_video = [float(roc_auc_score(y, s)) if 0 < y.sum() < len(y) else None for y, s in zip(labels, scores)]
    evaluated = [a for a in per_video if a is not None]
    return {
        'labelsPerVideo': [y.tolist() for y in labels],
        'scoresPerVideo': [floats(s) for s in scores],
        'normalizedPerVideo': [floats(s) for s in normalized],
        'microAucNormalized': float(roc_auc_score(np.concatenate(labels), np.concatenate(normalized))),
        'microAucRaw': float(roc_auc_score(np.concatenate(labels), np.concatenate(scores))),
        'perVideoAuc': per_video,
        'meanPerVideoAuc': float(np.mean(evaluated)),
        'skippedVideos': [i for i, a in enumerate(per_video) if a is None],
    }


def trapezoid_up_to(x, y, x_max):
    """Area under (x, y) for x in [0, x_max], the last point interpolated at exactly x_max."""
    ins = int(np.searchsorted(x, x_max, side='right'))
    area = float(np.sum((x[1:ins] - x[:ins - 1]) * (y[1:ins] + y[:ins - 1]) / 2))
    if ins < len(x) and x[ins - 1] < x_max:
        y_max = y[ins - 1] + (y[ins] - y[ins - 1]) * (x_max - x[ins - 1]) / (x[ins] - x[ins - 1])
        area += (x_max - x[ins - 1]) * (y_max + y[ins - 1]) / 2
    return area


def pixel_case():
    rng = np.random.default_rng(5)
    h, w = 20, 24
    masks = np.zeros((3, h, w), dtype=np.uint8)
    masks[0, 3:9, 4:12] = 1                  # a large rectangle
    for k in range(5):                       # a diagonal line: one region only with 8-connectivity
        masks[0, 12 + k, 15 + k] = 1
    masks[0, 2, 20] = 1                      # a single pixel
    yy, xx = np.mgrid[:h, :w]
    masks[2] = ((yy - 10) ** 2 + (xx - 8) ** 2 <= 9).astype(np.uint8)  # a disc; image 1 has no defect
    maps = np.round(rng.normal(size=masks.shape) * 0.5 + masks * rng.uniform(0.2, 1.5, size=masks.shape), 2)

    structure = np.ones((3, 3), dtype=int)
    weights = np.ones(masks.shape, dtype=np.float64)
    regions = []
    for i in range(3):
        labelled, count = scipy.ndimage.label(masks[i], structure=structure)
        sizes = np.bincount(labelled.ravel(), minlength=count + 1)
        regions.append({'count': int(count), 'sizes': sizes[1:].tolist()})
        weights[i][labelled > 0] = 1.0 / sizes[labelled[labelled > 0]]
    y = masks.ravel() > 0
    # PRO is the true positive rate when a region pixel weighs 1/(region size): weighted ROC.
    fpr, pro, thresholds = roc_curve(y, maps.ravel(), sample_weight=weights.ravel(), drop_intermediate=False)
    return {
        'height': h,
        'width': w,
        'masks': [m.ravel().tolist() for m in masks],
        'maps': [floats(m.ravel()) for m in maps],
        'regions': regions,
        'pixelRocAuc': float(roc_auc_score(y, maps.ravel())),
        'proCurve': {'fpr': floats(fpr), 'pro': floats(pro), 'thresholdsAfterFirst': floats(thresholds[1:])},
        'proAuc': [{'maxFpr': m, 'value': trapezoid_up_to(fpr, pro, m) / m} for m in (0.3, 0.05, 1.0)],
    }


def main():
    warnings.simplefilter('ignore')
    reference = {
        'generatedBy': 'scripts/metrics-reference.py',
        'versions': {'python': sys.version.split()[0], 'numpy': np.__version__, 'scipy': scipy.__version__, 'sklearn': sklearn.__version__},
        'binary': binary_cases(),
        'video': video_case(),
        'pixel': pixel_case(),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump(reference, f, separators=(',', ':'))
        f.write('\n')
    print(f'wrote {os.path.relpath(OUT)} ({os.path.getsize(OUT) // 1024} KB)')


if __name__ == '__main__':
    main()
