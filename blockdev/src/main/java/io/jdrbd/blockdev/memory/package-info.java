/** The sparse off-heap memory device: NBD performance baseline and pristine disk of tests. */
package io.jdrbd.blockdev.memory;
