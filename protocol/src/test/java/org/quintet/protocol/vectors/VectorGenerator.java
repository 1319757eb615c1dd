package org.quintet.protocol.vectors;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes protocol/vectors/*.json from fixed seeds; deterministic, so the files are checked in. */
public final class VectorGenerator {
  private VectorGenerator() {}

  /** File name to its JSON text. */
  public static Map<String, String> generate() throws Exception {
    Map<String, Object> files = new LinkedHashMap<>();
    files.put("identity.json", IdentityVectors.generate());
    files.put("session.json", SessionVectors.generate());
    files.put("devicelist.json", DeviceListVectors.generate());
    files.put("provisioning.json", LinkingVectors.provisioning());
    files.put("codelink.json", LinkingVectors.codeLink());
    files.put("fingerprint.json", MiscVectors.fingerprints());
    files.put("envelope.json", MiscVectors.envelopes());
    files.put("delivery.json", WireVectors.delivery());
    files.put("limits.json", WireVectors.limits());
    files.put("attachments.json", AttachmentVectors.generate());
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
    ObjectMapper mapper = new ObjectMapper();
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> file : files.entrySet()) {
      out.put(file.getKey(), mapper.writer(printer).writeValueAsString(file.getValue()).replace("\r\n", "\n") + "\n");
    }
    return out;
  }
}
