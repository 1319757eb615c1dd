package org.quintet.bench.relay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Heap in use after a full GC ({@code jcmd}) and resident set size ({@code /proc}) of a server process. */
record ProcessMemory(long heapUsedBytes, long rssBytes) {
  private static final Pattern USED = Pattern.compile("used (\\d+)K");
  private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

  static ProcessMemory of(long pid) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
    Matcher used = USED.matcher(jcmd(pid, "GC.heap_info"));
    Matcher rss = RSS.matcher(Files.readString(Path.of("/proc/" + pid + "/status")));
    if (!used.find() || !rss.find()) {
      throw new IllegalStateException("no heap or RSS figure for process " + pid);
    }
    return new ProcessMemory(Long.parseLong(used.group(1)) * 1024, Long.parseLong(rss.group(1)) * 1024);
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process process = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command).redirectErrorStream(true)
        .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    return output;
  }
}
