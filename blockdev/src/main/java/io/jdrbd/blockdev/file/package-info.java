/**
 * Devices on the Linux kernel: regular files and block-device nodes, with the system calls Java
 * lacks (fallocate, fdatasync, lseek SEEK_DATA/SEEK_HOLE, block ioctls) bound in one place,
 * {@link io.jdrbd.blockdev.file.LinuxSyscalls}.
 */
package io.jdrbd.blockdev.file;
