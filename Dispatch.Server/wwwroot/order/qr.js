// Draws a text (a WeChat Pay Native code URL) as a QR code image, with qrcode-generator from /lib (copied there by
// web/build.sh). The image is a data: URL, which the Content-Security-Policy allows for images.
import qrcode from "/lib/qrcode.mjs";

export function qrImage(text, alt) {
  const code = qrcode(0, "M"); // type 0: the smallest version that holds the text
  code.addData(text);
  code.make();
  const img = document.createElement("img");
  img.src = code.createDataURL(6, 2); // 6 px a module, 2 modules of quiet zone
  img.alt = alt;
  img.className = "pay-qr";
  return img;
}
