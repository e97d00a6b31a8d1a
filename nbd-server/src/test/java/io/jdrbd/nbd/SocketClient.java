package io.jdrbd.nbd;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdrbd.nbd.ClientWire.OptionReply;
import io.jdrbd.nbd.ClientWire.Reply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/** A hand-written blocking NBD client over a real socket, for loopback tests. */
final class SocketClient implements AutoCloseable {
    private Socket socket;
    private DataInputStream in;
    private OutputStream out;
    int transmissionFlags;
    long exportSize;

    SocketClient(int port) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        attach(socket.getInputStream(), socket.getOutputStream());
        assertThat(in.readLong()).isEqualTo(NbdProtocol.NBDMAGIC);
        assertThat(in.readLong()).isEqualTo(NbdProtocol.IHAVEOPT);
        assertThat(in.readUnsignedShort()).isEqualTo(3);
        send(ClientWire.clientFlags(3));
    }

    private void attach(InputStream input, OutputStream output) {
        in = new DataInputStream(input);
        out = output;
    }

    /** Wraps the socket in TLS (after STARTTLS was acknowledged), trusting {@code sockets}' settings. */
    void startTls(SSLSocketFactory sockets) throws IOException {
        SSLSocket tls = (SSLSocket) sockets.createSocket(socket, "127.0.0.1", socket.getPort(), true);
        tls.setUseClientMode(true);
        tls.startHandshake();
        socket = tls;
        attach(tls.getInputStream(), tls.getOutputStream());
    }

    void send(ByteBuf bytes) throws IOException {
        byte[] array = new byte[bytes.readableBytes()];
        bytes.readBytes(array);
        bytes.release();
        out.write(array);
        out.flush();
    }

    OptionReply option(int option, byte[] data) throws IOException {
        send(ClientWire.option(option, data));
        return readOptionReply();
    }

    OptionReply readOptionReply() throws IOException {
        byte[] header = new byte[20];
        in.readFully(header);
        ByteBuf h = Unpooled.wrappedBuffer(header);
        assertThat(h.getLong(0)).isEqualTo(NbdProtocol.OPTION_REPLY_MAGIC);
        byte[] data = new byte[h.getInt(16)];
        in.readFully(data);
        return new OptionReply(h.getInt(8), h.getInt(12), data);
    }

    /** Optionally structured replies and base:allocation, then GO; fails unless it is accepted. */
    SocketClient go(String name, boolean structured, boolean baseAllocation) throws IOException {
        if (structured) {
            assertThat(option(NbdProtocol.OPT_STRUCTURED_REPLY, new byte[0]).type()).isEqualTo(NbdProtocol.REP_ACK);
        }
        if (baseAllocation) {
            send(ClientWire.option(NbdProtocol.OPT_SET_META_CONTEXT, ClientWire.metaData(name, "base:allocation")));
            assertThat(readOptionReply().type()).isEqualTo(NbdProtocol.REP_META_CONTEXT);
            assertThat(readOptionReply().type()).isEqualTo(NbdProtocol.REP_ACK);
        }
        send(ClientWire.option(NbdProtocol.OPT_GO, ClientWire.infoData(name, NbdProtocol.INFO_BLOCK_SIZE)));
        while (true) {
            OptionReply reply = readOptionReply();
            if (reply.type() == NbdProtocol.REP_ACK) {
                return this;
            }
            assertThat(reply.type()).as("GO: %s", reply.text()).isEqualTo(NbdProtocol.REP_INFO);
            ByteBuf data = Unpooled.wrappedBuffer(reply.data());
            if (data.getUnsignedShort(0) == NbdProtocol.INFO_EXPORT) {
                exportSize = data.getLong(2);
                transmissionFlags = data.getUnsignedShort(10);
            }
        }
    }

    void request(int flags, int type, long cookie, long offset, long length, byte[] payload) throws IOException {
        send(ClientWire.request(flags, type, cookie, offset, length, payload));
    }

    /** Reads one reply message; a successful simple reply carries {@code readLength} data bytes. */
    Reply readReply(int readLength) throws IOException {
        int magic = in.readInt();
        if (magic == NbdProtocol.SIMPLE_REPLY_MAGIC) {
            int error = in.readInt();
            long cookie = in.readLong();
            byte[] data = new byte[error == 0 ? readLength : 0];
            in.readFully(data);
            return new Reply(false, 0, -1, cookie, error, data);
        }
        assertThat(magic).as("reply magic").isEqualTo(NbdProtocol.STRUCTURED_REPLY_MAGIC);
        int flags = in.readUnsignedShort();
        int type = in.readUnsignedShort();
        long cookie = in.readLong();
        byte[] payload = new byte[in.readInt()];
        in.readFully(payload);
        int error = (type & 0x8000) != 0 ? Unpooled.wrappedBuffer(payload).getInt(0) : 0;
        return new Reply(true, flags, type, cookie, error, payload);
    }

    /** True when the server has closed the connection (EOF within the socket timeout). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (EOFException e) {
            return true;
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        }
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
