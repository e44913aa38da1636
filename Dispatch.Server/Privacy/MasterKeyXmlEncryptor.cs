using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Dispatch.Server.Privacy;

/// <summary>Encrypts each Data Protection key before it is stored, with the configured key-encryption key.</summary>
internal sealed class MasterKeyXmlEncryptor(KeyEncryptionKeys keys) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var element = new XElement("encryptedKey",
            new XComment(" Encrypted with Privacy:KeyEncryptionKey (AES-256-GCM). "),
            new XAttribute("keyEncryptionKeyId", keys.CurrentId),
            new XElement("value", keys.Encrypt(plaintextElement.ToString(SaveOptions.DisableFormatting))));
        return new EncryptedXmlInfo(element, typeof(MasterKeyXmlDecryptor));
    }
}
