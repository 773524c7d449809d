package io.quasid.model;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.DeviceSpec;

/** Parses the {@link QuasidConfig#device()} string ("/cpu:0", "/gpu:0", "/device:GPU:1"). */
final class Devices {

  private static final Pattern DEVICE = Pattern.compile("/(?:device:)?(cpu|gpu):(\\d+)");

  private Devices() {}

  static DeviceSpec parse(String device) {
    Matcher m = DEVICE.matcher(device.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "device must look like /cpu:0 or /gpu:0, got '" + device + "'");
    }
    DeviceSpec.DeviceType type =
        m.group(1).equals("gpu") ? DeviceSpec.DeviceType.GPU : DeviceSpec.DeviceType.CPU;
    return DeviceSpec.newBuilder()
        .deviceType(type)
        .deviceIndex(Integer.parseInt(m.group(2)))
        .build();
  }
}
