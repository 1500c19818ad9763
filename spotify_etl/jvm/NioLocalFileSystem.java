/*
 * The local lake's Hadoop file system (spotify_etl/local_filesystem.py, decision 0115):
 * Hadoop's raw local file system, with permissions set through java.nio.
 *
 * Hadoop sets the permissions of every file and folder it creates. Without Hadoop's native
 * library (pyspark ships none) RawLocalFileSystem does it by running `chmod`, one process per
 * file and one per folder: about 3 ms each, 3,650 of them in a year's backfill.
 */
package spotify_etl.hadoop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

public class NioLocalFileSystem extends RawLocalFileSystem {
  // The mode's bits from the lowest: others x w r, group x w r, owner x w r.
  private static final PosixFilePermission[] MODE_BITS = {
    PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
    PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE,
    PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
    PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
    PosixFilePermission.OWNER_READ,
  };

  /** What `chmod` would set, but the sticky bit (java.nio has none; Hadoop's local writes never set it). */
  @Override
  public void setPermission(Path path, FsPermission permission) throws IOException {
    int mode = permission.toShort();
    Set<PosixFilePermission> bits = EnumSet.noneOf(PosixFilePermission.class);
    for (int bit = 0; bit < MODE_BITS.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        bits.add(MODE_BITS[bit]);
      }
    }
    Files.setPosixFilePermissions(pathToFile(path).toPath(), bits);
  }
}
