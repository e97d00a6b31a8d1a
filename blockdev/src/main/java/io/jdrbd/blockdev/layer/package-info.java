/**
 * Layers that wrap any {@link io.jdrbd.blockdev.BlockDevice} and implement the same interface:
 * fault injection, a volatile write cache with a power-cut model, statistics, read-only. Each takes
 * its seed and parameters explicitly.
 */
package io.jdrbd.blockdev.layer;
