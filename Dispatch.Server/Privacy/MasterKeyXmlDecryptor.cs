using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

namespace Dispatch.Server.Privacy;

/// <summary>Opens a Data Protection key that <see cref="MasterKeyXmlEncryptor"/> encrypted. Data Protection creates it by type name.</summary>
internal sealed class MasterKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var keys = new KeyEncryptionKeys(services.GetRequiredService<IOptions<PrivacyOptions>>().Value);
        var id = (string?)encryptedElement.Attribute(MasterKeyXmlEncryptor.KeyIdAttribute) ?? "";
        return XElement.Parse(keys.Decrypt(id, (string?)encryptedElement.Element(MasterKeyXmlEncryptor.ValueElement) ?? ""));
    }
}
