// Reads a Mapbox vector tile (protobuf, spec 2.1) into plain objects: { layerName: { extent, features: [{ type,
// properties, rings }] } }, rings as arrays of [x, y] in tile units. Only what the street tiles use; no dependency.
export function readTile(buffer) {
  const bytes = new Uint8Array(buffer);
  const layers = {};
  forEachField(bytes, 0, bytes.length, (field, reader) => {
    if (field === 3) {
      const layer = readLayer(bytes, reader.start, reader.end);
      layers[layer.name] = layer;
    }
  });
  return layers;
}

function readLayer(bytes, start, end) {
  const layer = { name: "", extent: 4096, keys: [], values: [], raw: [], features: [] };
  forEachField(bytes, start, end, (field, reader) => {
    if (field === 1) layer.name = reader.string();
    else if (field === 2) layer.raw.push([reader.start, reader.end]);
    else if (field === 3) layer.keys.push(reader.string());
    else if (field === 4) layer.values.push(readValue(bytes, reader.start, reader.end));
    else if (field === 5) layer.extent = reader.value;
  });
  layer.features = layer.raw.map(([s, e]) => readFeature(bytes, s, e, layer));
  delete layer.raw;
  return layer;
}

function readValue(bytes, start, end) {
  let value = null;
  forEachField(bytes, start, end, (field, reader) => {
    if (field === 1) value = reader.string();
    else if (field === 4 || field === 5) value = reader.value;
    else if (field === 6) value = zigzag(reader.value);
    else if (field === 7) value = reader.value !== 0;
    else if (field === 2) value = new DataView(bytes.buffer, bytes.byteOffset + reader.start, 4).getFloat32(0, true);
    else if (field === 3) value = new DataView(bytes.buffer, bytes.byteOffset + reader.start, 8).getFloat64(0, true);
  });
  return value;
}

function readFeature(bytes, start, end, layer) {
  const feature = { type: 0, properties: {}, rings: [] };
  forEachField(bytes, start, end, (field, reader) => {
    if (field === 3) feature.type = reader.value;
    else if (field === 2) {
      const tags = packed(bytes, reader.start, reader.end);
      for (let i = 0; i + 1 < tags.length; i += 2) feature.properties[layer.keys[tags[i]]] = layer.values[tags[i + 1]];
    } else if (field === 4) feature.rings = geometry(packed(bytes, reader.start, reader.end));
  });
  return feature;
}

// Commands: MoveTo (1) starts a ring, LineTo (2) extends it, ClosePath (7) repeats its first point; deltas are zigzag.
function geometry(ints) {
  const rings = [];
  let x = 0;
  let y = 0;
  let ring = null;
  for (let i = 0; i < ints.length;) {
    const command = ints[i] & 7;
    const count = ints[i] >>> 3;
    i++;
    if (command === 7) {
      if (ring && ring.length) ring.push(ring[0]);
      continue;
    }
    for (let k = 0; k < count && i + 1 < ints.length; k++, i += 2) {
      x += zigzag(ints[i]);
      y += zigzag(ints[i + 1]);
      if (command === 1) rings.push((ring = []));
      ring.push([x, y]);
    }
  }
  return rings;
}

function zigzag(n) {
  return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
}

function packed(bytes, start, end) {
  const out = [];
  const at = { pos: start };
  while (at.pos < end) out.push(varint(bytes, at));
  return out;
}

// Varints by multiplication, not shifts, so values past 2^31 stay exact up to 2^53.
function varint(bytes, at) {
  let value = 0;
  let scale = 1;
  for (;;) {
    const b = bytes[at.pos++];
    value += (b & 0x7f) * scale;
    if (b < 0x80) return value;
    scale *= 128;
  }
}

// Calls visit(field, reader) for each field of the message in bytes[start, end); reader holds a varint's value or a
// length-delimited field's bounds (and string()).
function forEachField(bytes, start, end, visit) {
  const at = { pos: start };
  while (at.pos < end) {
    const key = varint(bytes, at);
    const field = Math.floor(key / 8);
    const wire = key & 7;
    const reader = {
      value: 0,
      start: at.pos,
      end: at.pos,
      string: () => new TextDecoder().decode(bytes.subarray(reader.start, reader.end)),
    };
    if (wire === 0) reader.value = varint(bytes, at);
    else if (wire === 2) {
      const length = varint(bytes, at);
      reader.start = at.pos;
      reader.end = at.pos + length;
      at.pos = reader.end;
    } else if (wire === 1) at.pos += 8;
    else if (wire === 5) at.pos += 4;
    else throw new Error(`vector tile: unsupported wire type ${wire}`);
    if (wire === 1 || wire === 5) reader.end = at.pos;
    visit(field, reader);
  }
}
