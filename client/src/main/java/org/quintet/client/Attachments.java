package org.quintet.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.quintet.protocol.AttachmentCipher;
import org.quintet.protocol.KeySource;
import org.quintet.protocol.Limits;
import org.quintet.protocol.ProtocolException;

/**
 * Files, photos and voice notes (docs/protocol.md, 8a, and content {@code attachment}): a file is
 * encrypted under a new key into a blob beside the home, the blob uploaded, and a message with the
 * key and the blob's id sent as a text is. A received file is downloaded (going on where a broken
 * download stopped), decrypted chunk by chunk and checked against its SHA-256 before it takes its
 * name in {@code HOME/attachments/MESSAGE_ID/}.
 */
final class Attachments {
  private static final String DEFAULT_TYPE = "application/octet-stream";
  private static final Pattern MEDIA_TYPE = Pattern.compile("[!-~&&[^/;]]+/[!-~&&[^/;]]+");
  /** The name a file gets when its sender gave none. */
  private static final String UNNAMED = "attachment";

  private final Vertx vertx;
  private final LocalStore store;
  private final Conversations conversations;
  private final BlobTransfer transfer;
  private final KeySource source;

  Attachments(Vertx vertx, LocalStore store, Conversations conversations, BlobTransfer transfer, KeySource source) {
    this.vertx = vertx;
    this.store = store;
    this.conversations = conversations;
    this.transfer = transfer;
    this.source = source;
  }

  /** Encrypts, uploads and sends {@code file}; {@code caption} may be null. */
  Future<SentMessage> send(String to, Path file, String caption, TransferProgress progress) {
    return prepare(file).compose(sealed -> transfer.upload(sealed.blob, sealed.blobSize, progress)
        .compose(blobId -> conversations.sendAttachment(to, sealed.pointer(blobId), caption))
        .eventually(() -> vertx.fileSystem().delete(sealed.blob.toString()).otherwiseEmpty()));
  }

  /** A file encrypted into its blob, with all its pointer needs but the blob's id. */
  private record Sealed(Path blob, long blobSize, byte[] key, long size, byte[] digest, String contentType,
      String fileName, ImagePreview preview) {
    AttachmentPointer pointer(String blobId) {
      return new AttachmentPointer(blobId, key, size, digest, contentType, fileName,
          preview == null ? null : preview.width(), preview == null ? null : preview.height(), null, false,
          preview == null ? null : preview.thumbnail());
    }
  }

  private Future<Sealed> prepare(Path file) {
    return vertx.executeBlocking(() -> {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("no file at " + file);
      }
      long size = Files.size(file);
      if (size > Limits.MAX_ATTACHMENT_SIZE) {
        throw new IllegalArgumentException("a file is at most " + Limits.MAX_ATTACHMENT_SIZE + " bytes");
      }
      String contentType = contentType(file);
      ImagePreview preview = contentType.startsWith("image/") ? ImagePreview.of(file).orElse(null) : null;
      byte[] key = source.bytes(AttachmentCipher.KEY_LENGTH);
      Path scratch = Files.createDirectories(store.home().resolve("tmp"));
      Path blob = Files.createTempFile(scratch, "upload-", ".blob");
      try (InputStream in = Files.newInputStream(file); OutputStream out = Files.newOutputStream(blob)) {
        byte[] digest = new AttachmentCipher(key).encrypt(in, size, out);
        return new Sealed(blob, AttachmentCipher.blobSize(size), key, size, digest, contentType, fileName(file),
            preview);
      } catch (IOException | ProtocolException | RuntimeException e) {
        Files.deleteIfExists(blob);
        throw e;
      }
    }, false);
  }

  private static String contentType(Path file) {
    String type = null;
    try {
      type = Files.probeContentType(file);
    } catch (IOException e) {
      // Guessed from the name below.
    }
    if (type == null) {
      type = URLConnection.guessContentTypeFromName(file.getFileName().toString());
    }
    if (type == null) {
      return DEFAULT_TYPE;
    }
    type = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return type.length() <= ContentLimits.MAX_CONTENT_TYPE_CHARS && MEDIA_TYPE.matcher(type).matches() ? type
        : DEFAULT_TYPE;
  }

  /** The file's own name, if it is one a receiver may use (long names are cut, keeping the extension). */
  private static String fileName(Path file) {
    String name = file.getFileName().toString();
    if (name.length() > ContentLimits.MAX_FILE_NAME_CHARS) {
      int dot = name.lastIndexOf('.');
      String extension = dot > 0 && name.length() - dot <= 16 ? name.substring(dot) : "";
      name = name.substring(0, ContentLimits.MAX_FILE_NAME_CHARS - extension.length()) + extension;
    }
    return AttachmentPointer.isFileName(name) ? name : null;
  }

  /**
   * Downloads the file of message {@code messageId} (one this device holds), unless it was saved
   * already. Fails with {@link ChangeRefusedException} for a message that carries no file.
   */
  Future<SavedAttachment> download(String messageId, TransferProgress progress) {
    Optional<HistoryEntry> entry = store.historyEntry(messageId);
    if (entry.isEmpty() || entry.get().attachment() == null) {
      return Future.failedFuture(new ChangeRefusedException(ChangeRefusedException.Reason.UNKNOWN_MESSAGE,
          "this device holds no file of a message " + messageId));
    }
    AttachmentPointer pointer = entry.get().attachment();
    Path folder = store.home().resolve("attachments").resolve(messageId);
    Path saved = folder.resolve(pointer.fileName() != null ? pointer.fileName() : UNNAMED);
    Path blob = folder.resolve(".blob");
    SavedAttachment answer = new SavedAttachment(messageId, saved, pointer.size(),
        HexFormat.of().formatHex(pointer.digest()), pointer.contentType(), pointer.fileName());
    if (Files.exists(saved)) {
      return Future.succeededFuture(answer);
    }
    return vertx.executeBlocking(() -> Files.createDirectories(folder), false)
        .compose(v -> transfer.download(pointer.blob(), blob, AttachmentCipher.blobSize(pointer.size()), progress))
        .compose(v -> vertx.executeBlocking(() -> {
          Path part = folder.resolve(".part");
          try (InputStream in = Files.newInputStream(blob); OutputStream out = Files.newOutputStream(part)) {
            new AttachmentCipher(pointer.key()).decrypt(in, pointer.size(), pointer.digest(), out);
          } catch (ProtocolException e) {
            // A blob that is not what the message described: a new download starts from nothing.
            Files.deleteIfExists(blob);
            Files.deleteIfExists(part);
            throw e;
          }
          Files.move(part, saved, StandardCopyOption.ATOMIC_MOVE);
          Files.delete(blob);
          return answer;
        }, false));
  }
}
