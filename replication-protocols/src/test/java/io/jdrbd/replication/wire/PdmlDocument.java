package io.jdrbd.replication.wire;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The DRBD PDUs of a tshark PDML dump, each with its TCP ports and the "show" value of its fields. */
final class PdmlDocument {

    /** One DRBD packet as Wireshark's dissector saw it. */
    record DrbdPdu(int frame, int sourcePort, int destinationPort, Map<String, List<String>> fields) {

        String first(String field) {
            List<String> values = fields.get(field);
            return values == null ? null : values.get(0);
        }

        String command() {
            return first("drbd.command");
        }
    }

    final List<DrbdPdu> pdus = new ArrayList<>();
    int malformedCount;

    static PdmlDocument parse(String pdml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document document = factory.newDocumentBuilder()
                .parse(new ByteArrayInputStream(pdml.getBytes(StandardCharsets.UTF_8)));
        PdmlDocument result = new PdmlDocument();
        NodeList packets = document.getElementsByTagName("packet");
        for (int i = 0; i < packets.getLength(); i++) {
            result.addPacket(i + 1, (Element) packets.item(i));
        }
        return result;
    }

    private void addPacket(int frame, Element packet) {
        NodeList protos = packet.getElementsByTagName("proto");
        int sourcePort = -1;
        int destinationPort = -1;
        for (int i = 0; i < protos.getLength(); i++) {
            Element proto = (Element) protos.item(i);
            String name = proto.getAttribute("name");
            if (name.equals("tcp")) {
                sourcePort = Integer.parseInt(fieldsOf(proto).get("tcp.srcport").get(0));
                destinationPort = Integer.parseInt(fieldsOf(proto).get("tcp.dstport").get(0));
            } else if (name.equals("drbd")) {
                pdus.add(new DrbdPdu(frame, sourcePort, destinationPort, fieldsOf(proto)));
            } else if (name.equals("_ws.malformed")) {
                malformedCount++;
            }
        }
        NodeList fields = packet.getElementsByTagName("field");
        for (int i = 0; i < fields.getLength(); i++) {
            if (((Element) fields.item(i)).getAttribute("name").startsWith("_ws.malformed")) {
                malformedCount++;
            }
        }
    }

    private static Map<String, List<String>> fieldsOf(Element proto) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        NodeList nodes = proto.getElementsByTagName("field");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element field = (Element) nodes.item(i);
            fields.computeIfAbsent(field.getAttribute("name"), k -> new ArrayList<>()).add(field.getAttribute("show"));
        }
        return fields;
    }
}
