package dev.threadlab.common.testsupport;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Order;

/**
 * The order in which a spec states its rules: by JUnit's {@link Order @Order} where a rule has one,
 * then as the spec declares them (the order of the methods in its class file, which javac keeps
 * from the source). The specs state their core rule first, so when several rules break the same
 * way, the report leads with the first of them in this order, never with whichever JUnit happened
 * to run first (its default method order is deliberately unobvious).
 */
final class SpecOrder {

    /** A rule this order does not know (a method of a superclass, a spec that cannot be read). */
    static final int UNKNOWN = Integer.MAX_VALUE;

    private static final Map<Class<?>, Map<String, Integer>> ORDERS = new ConcurrentHashMap<>();

    private SpecOrder() {}

    /** @return the position of {@code method} among the rules of {@code spec}, 0 first */
    static int of(Class<?> spec, String method) {
        return ORDERS.computeIfAbsent(spec, SpecOrder::compute).getOrDefault(method, UNKNOWN);
    }

    private static Map<String, Integer> compute(Class<?> spec) {
        List<String> declared = declaredMethodNames(spec);
        Map<String, Integer> explicit = new HashMap<>();
        for (Method m : spec.getDeclaredMethods()) {
            Order order = m.getAnnotation(Order.class);
            explicit.putIfAbsent(m.getName(), order == null ? Order.DEFAULT : order.value());
        }
        List<String> rules = new ArrayList<>(
                declared.stream().filter(explicit::containsKey).distinct().toList());
        rules.sort(Comparator.comparingInt(explicit::get)); // stable: the declared order on a tie
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            positions.put(rules.get(i), i);
        }
        return positions;
    }

    /** @return the names of the methods of {@code type}'s class file, in the file's order */
    static List<String> declaredMethodNames(Class<?> type) {
        String file = type.getName().substring(type.getName().lastIndexOf('.') + 1) + ".class";
        try (InputStream raw = type.getResourceAsStream(file)) {
            if (raw == null) {
                return List.of();
            }
            DataInputStream in = new DataInputStream(raw);
            if (in.readInt() != 0xCAFEBABE) {
                return List.of();
            }
            in.readUnsignedShort(); // minor version
            in.readUnsignedShort(); // major version
            int count = in.readUnsignedShort();
            String[] utf8 = new String[count];
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8[i] = in.readUTF();
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                    case 5, 6 -> {
                        in.skipNBytes(8);
                        i++; // a long or a double takes two entries
                    }
                    case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
                    case 15 -> in.skipNBytes(3);
                    default -> {
                        return List.of(); // a constant this reader does not know: no order, not a wrong one
                    }
                }
            }
            in.skipNBytes(6); // access flags, this class, super class
            in.skipNBytes(2L * in.readUnsignedShort()); // interfaces
            skipMembers(in); // fields
            int methods = in.readUnsignedShort();
            List<String> names = new ArrayList<>(methods);
            for (int i = 0; i < methods; i++) {
                in.skipNBytes(2); // access flags
                names.add(utf8[in.readUnsignedShort()]);
                in.skipNBytes(2); // descriptor
                skipAttributes(in);
            }
            return names;
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static void skipMembers(DataInputStream in) throws IOException {
        int members = in.readUnsignedShort();
        for (int i = 0; i < members; i++) {
            in.skipNBytes(6); // access flags, name, descriptor
            skipAttributes(in);
        }
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
        int attributes = in.readUnsignedShort();
        for (int i = 0; i < attributes; i++) {
            in.skipNBytes(2);
            in.skipNBytes(Integer.toUnsignedLong(in.readInt()));
        }
    }
}
