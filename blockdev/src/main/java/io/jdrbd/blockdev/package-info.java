/**
 * The asynchronous block-device API ({@link io.jdrbd.blockdev.BlockDevice}, results as values), the
 * shared request checks and completed futures, {@link io.jdrbd.blockdev.BlockDevices} to open a device
 * from a user's spec, and {@link io.jdrbd.blockdev.SizeParser}. Backends live in {@code .memory} and
 * {@code .file}, layers in {@code .layer}; see {@code docs/blockdev.md}.
 */
package io.jdrbd.blockdev;
