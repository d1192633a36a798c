"""The installed Keras version, where its releases differ in what a metric computes."""

import re

import keras

KERAS_VERSION: tuple[int, int] = tuple(int(part) for part in re.findall(r"\d+", keras.version())[:2])
