package io.dtstream.dashboard;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * {@code --authTokenFile}: every request must carry the token, as {@code Authorization: Bearer
 * TOKEN} or as the cookie the login form ({@code /login}) sets once the token is typed in. Without
 * it a browser asking for a page gets the form (401), anything else 401 with {@code
 * WWW-Authenticate: Bearer}. Nothing here logs the token or what was typed.
 */
final class Access {
  static final String LOGIN = "/login";
  static final String COOKIE = "dtstream_session";

  private static final String REFUSAL =
      "{\"error\": \"a token is required: log in at " + LOGIN + " or send Authorization: Bearer TOKEN\"}";

  private final byte[] tokenDigest;
  /**
   * The cookie's value: derived from the token, so the browser never stores the token itself, and
   * the same after a restart, so an open page reconnects without a new login.
   */
  private final byte[] session;
  private final boolean secure;

  /** {@code secure}: the cookie goes over HTTPS only. */
  Access(String token, boolean secure) {
    this.tokenDigest = sha256(token);
    this.session = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(sha256("dtstream dashboard session\n" + token)).getBytes(StandardCharsets.US_ASCII);
    this.secure = secure;
  }

  /** The token in {@code file}'s first line; a usage error if it cannot be read or is empty. */
  static String token(Path file) {
    String token = firstLine(file, "--authTokenFile").strip();
    if (token.isEmpty()) {
      throw new IllegalArgumentException("--authTokenFile: the first line of " + file + " is empty, it must be the token");
    }
    return token;
  }

  /**
   * The first line of {@code file}, which holds a secret (the token, the keystore's password),
   * without its line ending; read from a file so that it is never on a command line.
   */
  static String firstLine(Path file, String option) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(option + ": no file " + file);
    }
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line = reader.readLine();
      return line == null ? "" : line;
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(option + ": no file " + file);
    } catch (IOException e) {
      throw new IllegalArgumentException(option + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** Whether the request carries the token: in its Authorization header or as the login's cookie. */
  boolean allows(Context ctx) {
    String authorization = ctx.header("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      // Digests of equal length, compared in constant time: the time taken tells nothing of the token.
      return MessageDigest.isEqual(tokenDigest, sha256(authorization.substring(7).strip()));
    }
    String cookie = ctx.cookie(COOKIE);
    return cookie != null && MessageDigest.isEqual(session, cookie.getBytes(StandardCharsets.UTF_8));
  }

  /** The before-handler of every route: lets the login form and requests with the token through. */
  void check(Context ctx) {
    if (LOGIN.equals(ctx.path()) || allows(ctx)) {
      return;
    }
    ctx.header("WWW-Authenticate", "Bearer").status(HttpStatus.UNAUTHORIZED);
    String accept = ctx.header("Accept");
    if (accept != null && accept.contains("text/html")) {
      ctx.html(form(""));
    } else {
      ctx.contentType("application/json").result(REFUSAL);
    }
    ctx.skipRemainingHandlers();
  }

  /** {@code GET /login}. */
  void showForm(Context ctx) {
    ctx.html(form(""));
  }

  /** {@code POST /login}: the right token sets the cookie and goes to the page, a wrong one shows the form again. */
  void login(Context ctx) {
    String typed = ctx.formParam("token");
    if (typed != null && MessageDigest.isEqual(tokenDigest, sha256(typed.strip()))) {
      ctx.cookie(new Cookie(COOKIE, new String(session, StandardCharsets.US_ASCII), "/", -1, secure, true, null, SameSite.STRICT));
      ctx.redirect("/", HttpStatus.SEE_OTHER);
      return;
    }
    ctx.header("WWW-Authenticate", "Bearer").status(HttpStatus.UNAUTHORIZED).html(form("That is not the token."));
  }

  /** The login page; {@code message} is one of this class's own, never the request's input. */
  private static String form(String message) {
    return """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>dtstream · log in</title>
          <style>
            body { font-family: system-ui, sans-serif; margin: 4em auto; max-width: 24em; }
            input { font-size: 1em; padding: 0.3em; width: 100%%; box-sizing: border-box; margin: 0.5em 0; }
            .message { color: #b00020; }
          </style>
        </head>
        <body>
          <h1>dtstream dashboard</h1>
          <form method="post" action="%s">
            <label for="token">Token</label>
            <input id="token" name="token" type="password" autocomplete="current-password" autofocus required>
            <p id="login-message" class="message">%s</p>
            <button id="login" type="submit">Log in</button>
          </form>
        </body>
        </html>
        """.formatted(LOGIN, message);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
