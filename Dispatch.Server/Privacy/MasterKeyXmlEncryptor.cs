using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Dispatch.Server.Privacy;

/// <summary>Encrypts each Data Protection key before it is stored, with the configured key-encryption key.</summary>
internal sealed class MasterKeyXmlEncryptor(KeyEncryptionKeys keys) : IXmlEncryptor
{
    public const string ElementName = "encryptedKey", KeyIdAttribute = "keyEncryptionKeyId", ValueElement = "value";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var element = new XElement(ElementName,
            new XComment(" Encrypted with Privacy:KeyEncryptionKey (AES-256-GCM). "),
            new XAttribute(KeyIdAttribute, keys.CurrentId),
            new XElement(ValueElement, keys.Encrypt(plaintextElement.ToString(SaveOptions.DisableFormatting))));
        return new EncryptedXmlInfo(element, typeof(MasterKeyXmlDecryptor));
    }
}
