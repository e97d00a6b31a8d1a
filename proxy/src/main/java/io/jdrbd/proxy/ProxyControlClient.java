package io.jdrbd.proxy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** The client side of the control port (what {@code jdrbd proxy-ctl} uses). */
public final class ProxyControlClient implements AutoCloseable {

    private static final int TIMEOUT_MS = 30_000;
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    public ProxyControlClient(InetSocketAddress control) throws IOException {
        socket = new Socket();
        try {
            socket.connect(control, TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot reach the proxy's control port " + control + ": " + e.getMessage(), e);
        }
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
    }

    /** Sends one command and returns its reply (lines joined by newlines, without the end marker). */
    public String execute(String command) throws IOException {
        if (command.indexOf('\n') >= 0 || command.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a command is one line");
        }
        out.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        StringBuilder reply = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null && !line.equals(ControlServer.END)) {
            if (reply.length() > 0) {
                reply.append('\n');
            }
            reply.append(line);
        }
        if (line == null && !command.trim().equals("quit") && !command.trim().equals("shutdown")) {
            throw new IOException("the proxy closed the control connection");
        }
        return reply.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
